/** The create-GSI form and its UpdateTable input. */
import type { TableDescription } from '../items/tableSchema.ts';

export type KeyType = 'S' | 'N' | 'B';

export interface GsiForm {
  name: string;
  partitionKey: string;
  partitionType: KeyType;
  sortKey: string;
  sortType: KeyType;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** Comma-separated, for INCLUDE. */
  nonKeyAttributes: string;
  readCapacity: number;
  writeCapacity: number;
}

export function emptyGsiForm(): GsiForm {
  return { name: '', partitionKey: '', partitionType: 'S', sortKey: '', sortType: 'S', projection: 'ALL', nonKeyAttributes: '', readCapacity: 5, writeCapacity: 5 };
}

export function isProvisioned(table: TableDescription): boolean {
  const mode = table.BillingModeSummary?.BillingMode;
  return mode ? mode === 'PROVISIONED' : Boolean(table.ProvisionedThroughput?.ReadCapacityUnits);
}

/**
 * UpdateTable with one GlobalSecondaryIndexUpdates Create. AttributeDefinitions must name the
 * new index's key attributes; those the table already defines keep their type (a clash is left
 * for DynamoDB to report in its own words). Provisioned tables need the index's throughput too.
 */
export function toCreateGsiInput(table: TableDescription, form: GsiForm): Record<string, unknown> {
  const definitions = new Map(table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType as KeyType]));
  const partitionKey = form.partitionKey.trim();
  const sortKey = form.sortKey.trim();
  if (!definitions.has(partitionKey)) definitions.set(partitionKey, form.partitionType);
  if (sortKey && !definitions.has(sortKey)) definitions.set(sortKey, form.sortType);
  return {
    TableName: table.TableName,
    AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    GlobalSecondaryIndexUpdates: [
      {
        Create: {
          IndexName: form.name.trim(),
          KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : [])],
          Projection: {
            ProjectionType: form.projection,
            ...(form.projection === 'INCLUDE'
              ? { NonKeyAttributes: form.nonKeyAttributes.split(',').map((s) => s.trim()).filter(Boolean) }
              : {}),
          },
          ...(isProvisioned(table) ? { ProvisionedThroughput: { ReadCapacityUnits: form.readCapacity, WriteCapacityUnits: form.writeCapacity } } : {}),
        },
      },
    ],
  };
}

export function toDeleteGsiInput(tableName: string, indexName: string): Record<string, unknown> {
  return { TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: indexName } }] };
}

export type DistanceFunction = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT';

export interface VectorIndexForm {
  name: string;
  /** The attribute holding each item's embedding (a list of numbers). */
  attribute: string;
  dimensions: number;
  distance: DistanceFunction;
  projection: 'ALL' | 'KEYS_ONLY';
}

export function emptyVectorIndexForm(): VectorIndexForm {
  return { name: '', attribute: 'embedding', dimensions: 768, distance: 'COSINE', projection: 'ALL' };
}

/** UpdateTable with one VectorIndexUpdates Create (the vector attribute is not an AttributeDefinition). */
export function toCreateVectorIndexInput(tableName: string, form: VectorIndexForm): Record<string, unknown> {
  return {
    TableName: tableName,
    VectorIndexUpdates: [
      {
        Create: {
          IndexName: form.name.trim(),
          VectorAttribute: { AttributeName: form.attribute.trim() },
          Dimensions: form.dimensions,
          DistanceFunction: form.distance,
          Projection: { ProjectionType: form.projection },
        },
      },
    ],
  };
}

export function toDeleteVectorIndexInput(tableName: string, indexName: string): Record<string, unknown> {
  return { TableName: tableName, VectorIndexUpdates: [{ Delete: { IndexName: indexName } }] };
}
