import type { AttributeValue, Item } from '../../shared/attributeValues.ts';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ItemCount?: number;
}

export interface TableDescription {
  TableName: string;
  TableStatus?: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  ItemCount?: number;
  TableSizeBytes?: number;
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  VectorIndexes?: { IndexName: string }[];
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
  DeletionProtectionEnabled?: boolean;
}

export interface KeyNames {
  partition: string;
  sort?: string;
}

export function keyNamesOf(schema: KeySchemaElement[]): KeyNames {
  const partition = schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const sort = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return sort ? { partition, sort } : { partition };
}

/** Key attribute names of the table and then of its indexes, each once, in that order. */
export function allKeyAttributes(table: TableDescription): string[] {
  const names = new Set<string>();
  for (const k of keyNamesList(table.KeySchema)) names.add(k);
  for (const index of [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]) {
    for (const k of keyNamesList(index.KeySchema)) names.add(k);
  }
  return [...names];
}

/** A secondary index an attribute is a key of. */
export interface IndexKeyRole {
  indexName: string;
  kind: 'GSI' | 'LSI';
}

/** For each attribute that keys a secondary index, those indexes: the grid marks them apart from the table's key. */
export function indexKeyRoles(table: TableDescription): Record<string, IndexKeyRole[]> {
  const roles: Record<string, IndexKeyRole[]> = {};
  const add = (indexes: IndexDescription[] | undefined, kind: IndexKeyRole['kind']) => {
    for (const index of indexes ?? []) for (const name of keyNamesList(index.KeySchema)) (roles[name] ??= []).push({ indexName: index.IndexName, kind });
  };
  add(table.GlobalSecondaryIndexes, 'GSI');
  add(table.LocalSecondaryIndexes, 'LSI');
  return roles;
}

function keyNamesList(schema: KeySchemaElement[]): string[] {
  const { partition, sort } = keyNamesOf(schema);
  return sort ? [partition, sort] : [partition];
}

export function attributeType(table: TableDescription, name: string): 'S' | 'N' | 'B' {
  return table.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';
}

/** The primary key of an item: just its table key attributes. */
export function keyOf(item: Item, table: TableDescription): Item {
  const key: Item = {};
  for (const k of table.KeySchema) {
    const value = item[k.AttributeName];
    if (value) key[k.AttributeName] = value;
  }
  return key;
}

/** A stable row id from the primary key. */
export function rowIdOf(item: Item, table: TableDescription): string {
  return table.KeySchema.map((k) => stableValue(item[k.AttributeName])).join('\u0000');
}

function stableValue(value: AttributeValue | undefined): string {
  return value ? JSON.stringify(value) : '';
}

/** Turns text typed into a key field into an attribute value of the key's declared type. */
export function typedValue(type: 'S' | 'N' | 'B', text: string): AttributeValue {
  if (type === 'N') return { N: text.trim() };
  if (type === 'B') return { B: text.trim() };
  return { S: text };
}
