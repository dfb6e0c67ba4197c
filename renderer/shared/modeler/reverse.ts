/**
 * A model guessed from an existing table: its key schema and indexes from DescribeTable, and its
 * entities from sampled items. Items are grouped by a type attribute when they carry one, or by
 * the labels their keys start with (`USER#…` / `ORDER#…`); each group's attribute types are the
 * types most of its items have, and its key templates keep what every item's key shares and turn
 * what varies into placeholders, named after the attribute holding the same value where there is
 * one. The person confirms the result in the UI.
 */
import type { Item, ModelAttribute, ModelAttributeType, ModelBilling, ModelEntity, ModelIndex, ModelKeyAttribute, ModelKeyType, ModelStreamView, ModelTable } from '../../../electron/contract.ts';
import { ModelError } from './keyTemplates.ts';

/** The parts of DescribeTable's `Table` this reads. */
export interface DescribedTable {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: DescribedIndex[];
  LocalSecondaryIndexes?: DescribedIndex[];
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
}

interface DescribedIndex {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

/** Attributes that name an item's entity in many single-table designs. */
const TYPE_ATTRIBUTES = ['type', 'entityType', 'entity', '_type', '__typename', 'Type', 'EntityType'];
/** Characters that separate the parts of an overloaded key. */
const SEPARATOR = '#';
/** Text in capitals marks a kind of item (`USER`, `PROFILE`), not a value. */
const LABEL = /^[A-Z][A-Z0-9_]*$/;
/** A placeholder's name is taken from an attribute whose value matches the key part this often. */
const NAME_MATCH_SHARE = 0.8;

export function tableFromDescription(table: DescribedTable, ttlAttribute?: string): ModelTable {
  const types = new Map(table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType as ModelKeyType]));
  const keyOf = (schema: DescribedIndex['KeySchema'], type: 'HASH' | 'RANGE'): ModelKeyAttribute | undefined => {
    const name = schema.find((k) => k.KeyType === type)?.AttributeName;
    return name === undefined ? undefined : { name, type: types.get(name) ?? 'S' };
  };
  const index = (described: DescribedIndex): ModelIndex => {
    const sortKey = keyOf(described.KeySchema, 'RANGE');
    const type = (described.Projection?.ProjectionType ?? 'ALL') as ModelIndex['projection']['type'];
    return {
      name: described.IndexName,
      partitionKey: keyOf(described.KeySchema, 'HASH')!,
      ...(sortKey ? { sortKey } : {}),
      projection: { type, ...(type === 'INCLUDE' ? { nonKeyAttributes: described.Projection?.NonKeyAttributes ?? [] } : {}) },
    };
  };
  const billing: ModelBilling =
    table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' || !table.ProvisionedThroughput?.ReadCapacityUnits
      ? { mode: 'PAY_PER_REQUEST' }
      : { mode: 'PROVISIONED', readCapacityUnits: table.ProvisionedThroughput.ReadCapacityUnits, writeCapacityUnits: table.ProvisionedThroughput.WriteCapacityUnits ?? 1 };
  const sortKey = keyOf(table.KeySchema, 'RANGE');
  const partitionKey = keyOf(table.KeySchema, 'HASH');
  if (!partitionKey) throw new ModelError(`Table ${table.TableName} has no partition key in its description`);
  return {
    name: table.TableName,
    partitionKey,
    ...(sortKey ? { sortKey } : {}),
    globalSecondaryIndexes: (table.GlobalSecondaryIndexes ?? []).map(index),
    localSecondaryIndexes: (table.LocalSecondaryIndexes ?? []).map(index),
    billing,
    ...(ttlAttribute ? { ttlAttribute } : {}),
    ...(table.StreamSpecification?.StreamEnabled ? { stream: table.StreamSpecification.StreamViewType as ModelStreamView } : {}),
    entities: [],
    accessPatterns: [],
  };
}

/** The model table with entities inferred from the items, and how many items each entity stands for. */
export function reverseEngineer(table: ModelTable, items: readonly Item[]): { table: ModelTable; itemsPerEntity: Record<string, number> } {
  const keyNames = keyAttributeNames(table);
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const signature = groupSignature(table, item);
    const group = groups.get(signature);
    if (group) group.push(item);
    else groups.set(signature, [item]);
  }
  const entities: ModelEntity[] = [];
  const itemsPerEntity: Record<string, number> = {};
  for (const [signature, group] of groups) {
    let name = entityName(table, signature, group);
    for (let n = 2; entities.some((e) => e.name === name); n++) name = `${entityName(table, signature, group)}${n}`;
    const entity = inferEntity(name, group, keyNames);
    entities.push(entity);
    itemsPerEntity[name] = group.length;
  }
  return { table: { ...table, entities }, itemsPerEntity };
}

/** Infers one entity's attributes and key templates from its items. */
export function inferEntity(name: string, items: readonly Item[], keyNames: readonly string[]): ModelEntity {
  const attributes: ModelAttribute[] = [];
  const keys = new Set(keyNames);
  for (const attribute of attributeNamesInOrder(items)) {
    if (keys.has(attribute)) continue;
    attributes.push({ name: attribute, type: commonType(items, attribute) });
  }
  const keyTemplates: Record<string, string> = {};
  for (const keyName of keyNames) {
    if (!items.some((item) => item[keyName] !== undefined)) continue;
    const { template, invented } = inferTemplate(keyName, items, attributes);
    keyTemplates[keyName] = template;
    for (const attribute of invented) if (!attributes.some((a) => a.name === attribute.name)) attributes.push(attribute);
  }
  return { name, attributes, keyTemplates, sampleCount: items.length };
}

/**
 * A key's template: parts (split at "#") every item has alike stay text, the others become
 * placeholders. A key whose items split into different numbers of parts, or that is not a string,
 * becomes one placeholder holding the whole value.
 */
function inferTemplate(keyName: string, items: readonly Item[], attributes: readonly ModelAttribute[]): { template: string; invented: ModelAttribute[] } {
  // Items without the key (a sparse index's) say nothing about its template.
  const keyed = items.filter((item) => item[keyName] !== undefined);
  const values = keyed.flatMap((item) => {
    const value = item[keyName]!;
    return 'S' in value ? [value.S] : [];
  });
  const whole = (): { template: string; invented: ModelAttribute[] } => ({
    template: `{${keyName}}`,
    invented: [{ name: keyName, type: commonType(keyed, keyName) }],
  });
  if (values.length !== keyed.length || values.length === 0) return whole();
  const split = values.map((v) => v.split(SEPARATOR));
  const width = split[0]!.length;
  // A part is text the entity's keys share when every item has it alike; with a single item only
  // a label in capitals (PROFILE, USER) is taken for shared text, anything else for a value.
  const varies = (column: string[]) => new Set(column).size > 1 || (column.length < 2 && !LABEL.test(column[0]!));
  if (!split.every((parts) => parts.length === width)) return whole();
  // A key with no separators that varies is an attribute's value copied into the key (GSI1SK = the
  // order's date: `{orderDate}`), or a plain attribute used as a key (a GSI on status).
  if (width === 1 && varies(values)) {
    const copied = attributes.find((a) => keyed.filter((item, row) => textOf(item[a.name]) === values[row]).length >= NAME_MATCH_SHARE * keyed.length);
    return copied ? { template: `{${copied.name}}`, invented: [] } : whole();
  }
  const used = new Set<string>();
  const invented: ModelAttribute[] = [];
  const parts: string[] = [];
  for (let i = 0; i < width; i++) {
    const column = split.map((p) => p[i]!);
    if (!varies(column)) {
      parts.push(column[0]!);
      continue;
    }
    // An attribute holding this part in most items names the placeholder (USER#{userId}).
    const matching = attributes.find((a) => !used.has(a.name) && keyed.filter((item, row) => textOf(item[a.name]) === column[row]).length >= NAME_MATCH_SHARE * keyed.length);
    let name = matching?.name;
    if (!name) {
      const label = i > 0 && split[0]![i - 1] === split.at(-1)![i - 1] ? split[0]![i - 1]! : keyName;
      name = uniqueName(camelId(label), used, attributes);
      invented.push({ name, type: 'S' });
    }
    used.add(name);
    parts.push(`{${name}}`);
  }
  return { template: parts.join(SEPARATOR), invented };
}

/** `USER` → `userId`, `order_line` → `orderLineId`. */
function camelId(label: string): string {
  const words = label.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase());
  if (words.length === 0) return 'id';
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('') + 'Id';
}

function uniqueName(base: string, used: Set<string>, attributes: readonly ModelAttribute[]): string {
  let name = base;
  for (let n = 2; used.has(name) || attributes.some((a) => a.name === name); n++) name = `${base}${n}`;
  return name;
}

function keyAttributeNames(table: ModelTable): string[] {
  const names: string[] = [];
  for (const index of [table, ...table.globalSecondaryIndexes, ...table.localSecondaryIndexes]) {
    for (const key of [index.partitionKey, index.sortKey]) if (key && !names.includes(key.name)) names.push(key.name);
  }
  return names;
}

/** The type attribute's value when the item has one, else the labels of its primary key's parts. */
function groupSignature(table: ModelTable, item: Item): string {
  for (const attribute of TYPE_ATTRIBUTES) {
    const value = item[attribute];
    if (value && 'S' in value && value.S) return `type:${value.S}`;
  }
  return `keys:${keyLabel(item[table.partitionKey.name])}|${table.sortKey ? keyLabel(item[table.sortKey.name]) : ''}`;
}

/**
 * What marks a key's kind: the text before its first "#" (`USER` of `USER#42`), a value made of
 * capitals alone (`PROFILE`, `METADATA`), or nothing for a bare id or number.
 */
function keyLabel(value: Item[string] | undefined): string {
  if (!value || !('S' in value)) return '';
  const at = value.S.indexOf(SEPARATOR);
  if (at > 0) return value.S.slice(0, at);
  return LABEL.test(value.S) ? value.S : '';
}

function entityName(table: ModelTable, signature: string, items: readonly Item[]): string {
  if (signature.startsWith('type:')) return pascal(signature.slice(5));
  const [partition = '', sort = ''] = signature.slice(5).split('|');
  const sortValues = table.sortKey ? new Set(items.map((item) => textOf(item[table.sortKey!.name]))) : new Set<string>();
  // A constant sort key (PROFILE, METADATA) is the partition's own item: name it by the partition.
  const sortIsConstant = sortValues.size === 1 && !sort.includes(SEPARATOR) && sort === [...sortValues][0];
  const label = sort && !sortIsConstant ? sort : partition || sort;
  return label ? pascal(label) : pascal(table.name);
}

function pascal(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
  return name || 'Item';
}

function textOf(value: Item[string] | undefined): string | undefined {
  if (!value) return undefined;
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  return undefined;
}

function attributeNamesInOrder(items: readonly Item[]): string[] {
  const names = new Set<string>();
  for (const item of items) for (const name of Object.keys(item)) names.add(name);
  return [...names];
}

function commonType(items: readonly Item[], attribute: string): ModelAttributeType {
  const counts = new Map<ModelAttributeType, number>();
  for (const item of items) {
    const value = item[attribute];
    if (!value) continue;
    const type = Object.keys(value)[0] as ModelAttributeType;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'S';
}
