/**
 * A table's definition as the engine keeps it, and the key/index geometry derived from it.
 * The stored form is plain JSON in DynamoDB's own vocabulary (KeySchema, Projection, ...).
 */
import type { AttributeDefinition, AttributeValue, Item, KeySchemaElement, ScalarKeyType } from './types.ts';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type IndexStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export interface ProjectionDefinition {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface ThroughputDefinition {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

/** The ceiling of an on-demand table's request rate; a member left out has no ceiling. */
export interface OnDemandThroughputDefinition {
  MaxReadRequestUnits?: number;
  MaxWriteRequestUnits?: number;
}

/** The request rate a table or GSI is ready for at once. Raised, never lowered. */
export interface WarmThroughputDefinition {
  ReadUnitsPerSecond: number;
  WriteUnitsPerSecond: number;
}

export interface IndexRecord {
  uid: number;
  kind: 'GSI' | 'LSI';
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: ProjectionDefinition;
  ProvisionedThroughput?: ThroughputDefinition;
  IndexStatus: IndexStatus;
  /** True while a new GSI is filled from existing items. */
  Backfilling?: boolean;
  /** The warm throughput asked for (GSIs); the description never shows less than the index's floor. */
  WarmThroughput?: WarmThroughputDefinition;
}

export type VectorDistanceFunction = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT';

export interface SearchSchemaElement {
  AttributeName: string;
  SearchSchemaElementType: 'HASH' | 'INLINE_FILTER';
}

/**
 * A vector index: items whose VectorAttribute is a list of Dimensions numbers are searchable by
 * similarity (SearchVectors). SearchSchema names the attributes a search may filter on by equality;
 * a HASH element partitions the index, and every search must name its value.
 */
export interface VectorIndexRecord {
  uid: number;
  IndexName: string;
  VectorAttribute: { AttributeName: string };
  Dimensions: number;
  DistanceFunction: VectorDistanceFunction;
  SearchSchema?: SearchSchemaElement[];
  Projection: ProjectionDefinition;
  IndexStatus: IndexStatus;
  /**
   * While a vector index added by UpdateTable is CREATING: false until its backfill starts, then
   * true; left out once ACTIVE (as the service reports it).
   */
  Backfilling?: boolean;
}

export interface StreamDefinition {
  StreamEnabled: boolean;
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export type ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS';

/** Contributor Insights on a table or one GSI (see operations/contributorInsights.ts). */
export interface ContributorInsightsSetting {
  enabled: boolean;
  mode: ContributorInsightsMode;
  /** Epoch ms of the last change: ENABLING/DISABLING until the transition delay has passed. */
  changedAt: number;
  /** Epoch ms the rules were created: the suffix of their names. */
  rulesCreatedAt: number;
}

/** Everything persisted about a table (counts and sizes are kept apart, see TableStats). */
export interface TableRecord {
  uid: number;
  accountId: string;
  region: string;
  TableName: string;
  TableId: string;
  TableArn: string;
  TableStatus: TableStatus;
  /** Epoch seconds, as DynamoDB sends CreationDateTime. */
  CreationDateTime: number;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput: ThroughputDefinition;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
  NumberOfDecreasesToday?: number;
  LastUpdateToPayPerRequestDateTime?: number;
  indexes: IndexRecord[];
  /** Vector indexes (absent on tables that never had one). */
  vectorIndexes?: VectorIndexRecord[];
  StreamSpecification?: StreamDefinition;
  LatestStreamArn?: string;
  LatestStreamLabel?: string;
  SSEEnabled?: boolean;
  SSEType?: string;
  KMSMasterKeyArn?: string;
  TableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  DeletionProtectionEnabled: boolean;
  OnDemandThroughput?: OnDemandThroughputDefinition;
  /** The warm throughput reached so far (set or raised by requests); see describe.ts for the floor. */
  WarmThroughput?: WarmThroughputDefinition;
  Tags: { Key: string; Value: string }[];
  TimeToLive?: { AttributeName: string; Status: 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED' };
  /** Local switch: emulate provisioned-throughput throttling for this table. */
  throttlingEmulation?: boolean;
  /** Contributor Insights by scope: '' for the table, a GSI's uid (as a string) for that index. */
  contributorInsights?: Record<string, ContributorInsightsSetting>;
  /** Set while point-in-time recovery is on: since when (epoch ms) and for how many days changes are kept. */
  pointInTimeRecovery?: { enabledAt: number; RecoveryPeriodInDays: number };
  /** Set on a table restored from a backup or to a point in time (DescribeTable's RestoreSummary). */
  RestoreSummary?: { SourceBackupArn?: string; SourceTableArn: string; RestoreDateTime: number; RestoreInProgress: boolean };
  /** Resource-based policies by ARN (the table's, or its streams'): stored, not enforced. */
  resourcePolicies?: Record<string, { Policy: string; RevisionId: string; /** sha256 of Policy, for idempotent puts. */ digest: string }>;
}

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
}

/** Key geometry of a table or index: which attributes form its partition and sort key. */
export interface KeyShape {
  /** Partition key attributes (one, or up to four for a multi-attribute GSI key). */
  hashKeys: string[];
  /** Sort key attributes (none, one, or up to four). */
  rangeKeys: string[];
  types: Record<string, ScalarKeyType>;
}

export function keyShapeOf(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): KeyShape {
  const types: Record<string, ScalarKeyType> = {};
  for (const d of definitions) types[d.AttributeName] = d.AttributeType;
  return {
    hashKeys: keySchema.filter((k) => k.KeyType === 'HASH').map((k) => k.AttributeName),
    rangeKeys: keySchema.filter((k) => k.KeyType === 'RANGE').map((k) => k.AttributeName),
    types,
  };
}

/** The key attributes of `item` under `shape`, or undefined when any is missing (sparse index). */
export function extractKey(item: Item, shape: KeyShape): Item | undefined {
  const key: Item = {};
  for (const name of shape.hashKeys) {
    const v = item[name];
    if (v === undefined) return undefined;
    key[name] = v;
  }
  for (const name of shape.rangeKeys) {
    const v = item[name];
    if (v === undefined) return undefined;
    key[name] = v;
  }
  return key;
}

/** Bytes of a key value as DynamoDB limits them: a string's UTF-8, a binary's bytes (numbers are far below any limit). */
export function keyValueBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  return 0;
}

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

/**
 * The item's key in an index, when the item belongs there: every key attribute present, of its
 * defined type, and within DynamoDB's key sizes. A backfill leaves other items out of the index,
 * as the service does (writes made after the index exists are refused instead).
 */
export function indexableKey(item: Item, shape: KeyShape): Item | undefined {
  const key = extractKey(item, shape);
  if (!key) return undefined;
  for (const [names, max] of [[shape.hashKeys, MAX_PARTITION_KEY_BYTES], [shape.rangeKeys, MAX_SORT_KEY_BYTES]] as const) {
    for (const name of names) {
      const value = key[name];
      if (!(shape.types[name] in value) || keyValueBytes(value) > max) return undefined;
    }
  }
  return key;
}

export function keyTypeOf(value: AttributeValue): string {
  for (const k in value) return k;
  return '';
}
