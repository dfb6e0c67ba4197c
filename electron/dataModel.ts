/**
 * The data modeler's document: a versioned JSON shape shared by the backend (which saves, commits
 * and runs models) and the renderer (which edits them). Types and two constants only: contract.ts
 * re-exports them, so the renderer reaches them the one way it may; the pure functions that work on a model live in
 * renderer/shared/modeler/.
 *
 * A model holds tables; a table holds entities (single-table design) and access patterns. Key
 * attributes are not entity attributes: each entity says how its items fill them with key
 * templates, `USER#{userId}`, whose `{placeholders}` name the entity's attributes (or, in an access
 * pattern, its parameters).
 */

/** Types a key attribute can have. */
export type ModelKeyType = 'S' | 'N' | 'B';
/** Types an entity attribute can have: DynamoDB's ten. */
export type ModelAttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export interface ModelKeyAttribute {
  name: string;
  type: ModelKeyType;
}

export interface ModelProjection {
  type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** INCLUDE only: the non-key attributes copied into the index. */
  nonKeyAttributes?: string[];
}

export interface ModelIndex {
  name: string;
  /** For a local secondary index, the table's own partition key. */
  partitionKey: ModelKeyAttribute;
  sortKey?: ModelKeyAttribute;
  projection: ModelProjection;
}

export type ModelBilling = { mode: 'PAY_PER_REQUEST' } | { mode: 'PROVISIONED'; readCapacityUnits: number; writeCapacityUnits: number };

export type ModelStreamView = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

/**
 * How sample values of an attribute are made. Every generator is deterministic for a seed.
 * `reference` takes its values from another entity's generated items (an order's userId from the
 * users), with `skew` > 0 concentrating them on a few (Zipf's law with that exponent): the hot
 * partitions of a skewed key.
 */
export type ModelGenerator =
  | { kind: 'uuid' }
  | { kind: 'name' }
  | { kind: 'email' }
  | { kind: 'word' }
  | { kind: 'sentence' }
  | { kind: 'sequence'; prefix?: string; start?: number; width?: number }
  | { kind: 'date'; from: string; to: string; format?: 'iso' | 'date' | 'epochSeconds' }
  | { kind: 'number'; min: number; max: number; distribution?: 'uniform' | 'normal' | 'exponential'; decimals?: number }
  | { kind: 'enum'; values: string[]; weights?: number[] }
  | { kind: 'boolean'; trueShare?: number }
  | { kind: 'constant'; value: string }
  | { kind: 'reference'; entity: string; attribute: string; skew?: number };

export interface ModelAttribute {
  name: string;
  type: ModelAttributeType;
  /** Without one, sample data picks a generator from the name and type. */
  generator?: ModelGenerator;
}

export interface ModelEntity {
  name: string;
  attributes: ModelAttribute[];
  /**
   * Key attribute name (the table's or an index's) to its template for this entity, e.g.
   * `{ PK: 'USER#{userId}', SK: 'PROFILE' }`. An entity without a template for an index's key is
   * not in that (sparse) index.
   */
  keyTemplates: Record<string, string>;
  /** How many sample items to make of this entity. */
  sampleCount?: number;
}

export type SortKeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'begins_with' | 'between';
export type FilterOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'begins_with' | 'contains' | 'attribute_exists' | 'attribute_not_exists';

/** One condition of a filter; `value` is a template (`{status}`, `OPEN`). */
export interface ModelFilter {
  attribute: string;
  operator: FilterOperator;
  value?: string;
}

export type AccessPatternOperation = 'GetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'TransactWriteItems';

export interface AccessPattern {
  name: string;
  description?: string;
  operation: AccessPatternOperation;
  /** The entity the pattern reads or writes; GetItem and the writes take its key templates. */
  entity?: string;
  /** Query and Scan: the index to use; none means the table. */
  index?: string;
  /** Query: the partition key's value and the sort key's condition, as templates. */
  keyCondition?: { partition: string; sort?: { operator: SortKeyOperator; value: string; to?: string } };
  filter?: ModelFilter[];
  /** Query: false reads the sort key descending. */
  scanIndexForward?: boolean;
  limit?: number;
  /** UpdateItem: the attributes it sets from parameters. */
  updateAttributes?: string[];
  /**
   * TransactWriteItems: the table's Put, Update and Delete patterns it runs together, all or none,
   * by name. They share parameters: `{customerId}` is one value in every step.
   */
  transactItems?: string[];
  /** Values of the pattern's parameters used when the pattern is run, by parameter name. */
  exampleParameters?: Record<string, string>;
}

export interface ModelTable {
  name: string;
  partitionKey: ModelKeyAttribute;
  sortKey?: ModelKeyAttribute;
  globalSecondaryIndexes: ModelIndex[];
  localSecondaryIndexes: ModelIndex[];
  billing: ModelBilling;
  ttlAttribute?: string;
  stream?: ModelStreamView;
  entities: ModelEntity[];
  accessPatterns: AccessPattern[];
}

export const DATA_MODEL_FORMAT = 'dynamo-lens/data-model';
/** Raised when the document's shape changes; older documents are upgraded on import. */
export const DATA_MODEL_VERSION = 1;

export interface DataModel {
  format: typeof DATA_MODEL_FORMAT;
  version: typeof DATA_MODEL_VERSION;
  name: string;
  description?: string;
  tables: ModelTable[];
}
