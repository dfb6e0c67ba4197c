/** The create-table form's model and its translation into CreateTable (+ UpdateTimeToLive) input. */
export type KeyType = 'S' | 'N' | 'B';
export type Projection = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
export type StreamView = '' | 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface KeyField {
  name: string;
  type: KeyType;
}

export interface IndexForm {
  name: string;
  partitionKey: KeyField;
  sortKey: KeyField;
  projection: Projection;
  /** Comma-separated non-key attributes for INCLUDE. */
  nonKeyAttributes: string;
  readCapacity: number;
  writeCapacity: number;
}

export interface CreateTableForm {
  tableName: string;
  partitionKey: KeyField;
  sortKey: KeyField;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readCapacity: number;
  writeCapacity: number;
  globalIndexes: IndexForm[];
  localIndexes: IndexForm[];
  ttlAttribute: string;
  streamView: StreamView;
  deletionProtection: boolean;
}

export function emptyForm(): CreateTableForm {
  return {
    tableName: '',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: '', type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    readCapacity: 5,
    writeCapacity: 5,
    globalIndexes: [],
    localIndexes: [],
    ttlAttribute: '',
    streamView: '',
    deletionProtection: false,
  };
}

export function emptyIndex(kind: 'global' | 'local', count: number): IndexForm {
  return {
    name: kind === 'global' ? `gsi${count + 1}` : `lsi${count + 1}`,
    partitionKey: { name: '', type: 'S' },
    sortKey: { name: '', type: 'S' },
    projection: 'ALL',
    nonKeyAttributes: '',
    readCapacity: 5,
    writeCapacity: 5,
  };
}

/**
 * Builds DynamoDB's CreateTable input. Attribute definitions are collected from every key of the
 * table and its indexes, once each; a name used with two different types is left for DynamoDB to
 * reject so its own message reaches the user. Shape checks beyond "field is filled in" are also
 * left to DynamoDB, whose messages are the ones users search for.
 */
export function toCreateTableInput(form: CreateTableForm): Record<string, unknown> {
  const definitions = new Map<string, KeyType>();
  const define = (key: KeyField) => {
    if (key.name.trim() && !definitions.has(key.name.trim())) definitions.set(key.name.trim(), key.type);
  };
  const keySchema = (pk: KeyField, sk: KeyField) => [
    { AttributeName: pk.name.trim(), KeyType: 'HASH' },
    ...(sk.name.trim() ? [{ AttributeName: sk.name.trim(), KeyType: 'RANGE' }] : []),
  ];
  const projection = (index: IndexForm) => ({
    ProjectionType: index.projection,
    ...(index.projection === 'INCLUDE'
      ? { NonKeyAttributes: index.nonKeyAttributes.split(',').map((s) => s.trim()).filter(Boolean) }
      : {}),
  });
  const provisioned = form.billingMode === 'PROVISIONED';
  const throughput = (read: number, write: number) => ({ ReadCapacityUnits: read, WriteCapacityUnits: write });

  define(form.partitionKey);
  define(form.sortKey);
  const globalIndexes = form.globalIndexes.map((index) => {
    define(index.partitionKey);
    define(index.sortKey);
    return {
      IndexName: index.name.trim(),
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: projection(index),
      ...(provisioned ? { ProvisionedThroughput: throughput(index.readCapacity, index.writeCapacity) } : {}),
    };
  });
  const localIndexes = form.localIndexes.map((index) => {
    define(index.sortKey);
    // A local index shares the table's partition key by definition.
    return {
      IndexName: index.name.trim(),
      KeySchema: keySchema(form.partitionKey, index.sortKey),
      Projection: projection(index),
    };
  });

  return {
    TableName: form.tableName.trim(),
    AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(form.partitionKey, form.sortKey),
    BillingMode: form.billingMode,
    ...(provisioned ? { ProvisionedThroughput: throughput(form.readCapacity, form.writeCapacity) } : {}),
    ...(globalIndexes.length ? { GlobalSecondaryIndexes: globalIndexes } : {}),
    ...(localIndexes.length ? { LocalSecondaryIndexes: localIndexes } : {}),
    ...(form.streamView ? { StreamSpecification: { StreamEnabled: true, StreamViewType: form.streamView } } : {}),
    ...(form.deletionProtection ? { DeletionProtectionEnabled: true } : {}),
  };
}

/** The follow-up call that turns on TTL, which CreateTable cannot do itself. */
export function toTimeToLiveInput(form: CreateTableForm): Record<string, unknown> | undefined {
  const attribute = form.ttlAttribute.trim();
  if (!attribute) return undefined;
  return { TableName: form.tableName.trim(), TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } };
}
