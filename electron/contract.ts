/**
 * The one contract between the desktop shell and the UI. Main (over IPC), the browser bridge
 * (over a WebSocket) and the renderer all speak these channels and events, so every transport
 * carries the same shapes.
 *
 * This file holds types and a few constants only: the renderer imports it with `import type`
 * (and the constants), and must never pull Node or engine runtime code through it; the only engine
 * import is the type-only re-export of DynamoDB's wire types below.
 *
 * Results travel as envelopes rather than thrown errors because `ipcMain.handle` keeps only an
 * error's `message` when it crosses to the renderer (see VS Code's
 * src/vs/base/parts/ipc/electron-main/ipcMain.ts); DynamoDB's `code` must survive the trip, and a
 * stack trace must never make it.
 */

/** DynamoDB's wire types, shared with the renderer through this contract (types only). */
import type { AttributeType, AttributeValue, Item } from '../engine/types.ts';
export type { AttributeType, AttributeValue, Item };

/** The data modeler's document (types and its format constants), shared the same way. */
export * from './dataModel.ts';
import type { DataModel, ModelTable } from './dataModel.ts';

/** What every failure looks like on the wire: DynamoDB's error type and its message, word for word. */
export interface WireError {
  /** DynamoDB's short error code (e.g. "ValidationException"), or a Dynamo Lens code for app failures. */
  code: string;
  message: string;
  /**
   * TransactionCanceledException (TransactWriteItems, TransactGetItems, ExecuteTransaction): one
   * reason per action, in the request's order, so the UI can show each next to its action.
   */
  cancellationReasons?: CancellationReason[];
}

/** Why one action of a cancelled transaction failed ("None" for the actions that did not). */
export interface CancellationReason {
  Code: string;
  Message?: string;
  /** The item as it was, when the action asked for ReturnValuesOnConditionCheckFailure ALL_OLD. */
  Item?: Item;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** A DynamoDB namespace: local tables are grouped by account and region, as in AWS. */
export interface Namespace {
  accountId: string;
  region: string;
}

export interface NamespaceSummary extends Namespace {
  tableCount: number;
}

export type ConnectionKind = 'local' | 'remote';

/** What the UI can rely on a connection to do; controls are shown by capability, not by kind. */
export interface ConnectionCapabilities {
  /** Tables are grouped by account/region namespaces (the embedded engine). */
  namespaces: boolean;
  /** Deleting tables is allowed (a remote AWS connection may still refuse per table). */
  deleteTable: boolean;
  /** Per-second consumed capacity and partition heat, measured by the engine itself (`insights/capacity`). */
  capacityMetrics: boolean;
  /** Provisioned-throughput throttling can be emulated per table (`insights/throttling`). */
  throttlingEmulation: boolean;
  /** Items due for TTL deletion can be counted and swept on demand (`insights/ttl`, `insights/sweepTtl`). */
  ttlSweep: boolean;
  /** Running GSI backfills report how many items they have read (`insights/backfill`). */
  backfillProgress: boolean;
  /** How each vector index is searched, exactly or over clusters, and a clustering under way (`insights/vectorSearch`). */
  vectorSearchStatus: boolean;
  /** Local handlers can run on the table's stream records (`triggers/*`). */
  streamTriggers: boolean;
  /** The engine's PartiQL planner explains a statement before it runs (`partiql/explain`). */
  partiqlExplain: boolean;
}

/** A connection as the UI sees it. Secrets never leave the backend; `hasCredentials` says one is held. */
export interface ConnectionInfo {
  id: string;
  name: string;
  kind: ConnectionKind;
  /** The built-in local engine cannot be removed and is always listed first. */
  builtIn: boolean;
  /** Default region for calls without a namespace. */
  region: string;
  /** Custom endpoint (DynamoDB Local, LocalStack, Alternator) or, for the local engine, its HTTP endpoint. */
  endpointUrl?: string;
  /** Named AWS profile from the shared config/credentials files. */
  profile?: string;
  hasCredentials: boolean;
  capabilities: ConnectionCapabilities;
}

/** The form for adding a remote connection. Keys, when given, are kept in memory or encrypted by the OS. */
export interface NewRemoteConnection {
  name: string;
  region: string;
  endpointUrl?: string;
  profile?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/**
 * Changes to a saved remote connection. Keys left empty keep the saved ones (they never come back
 * to the UI to be re-sent); `clearCredentials` forgets them.
 */
export interface RemoteConnectionUpdate extends NewRemoteConnection {
  id: string;
  clearCredentials?: boolean;
}

/**
 * A connection to try before (or after) saving it: a saved one by `id`, or the form as typed; a
 * form with an `id` and no keys of its own uses that connection's saved keys.
 */
export interface ConnectionTestRequest {
  id?: string;
  connection?: NewRemoteConnection;
}

export interface ConnectionTestResult {
  /** Round trip of one ListTables (Limit 1), in milliseconds. */
  latencyMs: number;
}

/** One DynamoDB operation: connection id + operation name + input in DynamoDB's JSON wire shape. */
export interface DynamoCall {
  connectionId: string;
  /** e.g. "Scan", "PutItem" — the X-Amz-Target operation name. */
  operation: string;
  input: Record<string, unknown>;
  /** Local engine only: which account/region namespace to address (defaults to the connection's region). */
  namespace?: Namespace;
}

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Settings {
  theme: ThemePreference;
  /** The local engine's DynamoDB HTTP endpoint, for SDKs and CLIs on this machine. */
  localEndpoint: { enabled: boolean; port: number };
  /** Items requested per Scan/Query page. */
  pageSize: number;
  /** The workbench tabs left open, restored on the next start (at most MAX_OPEN_TABS). */
  openTabs?: OpenTab[];
  /** Which of `openTabs` was in front. */
  activeTab?: number;
  /** Two of `openTabs` shown side by side (left, right); null or absent when the workbench is not split. */
  splitTabs?: [number, number] | null;
}

/** One open workbench tab: a table's page or a per-connection builder. */
export interface OpenTab {
  kind: 'table' | 'transactions' | 'partiql' | 'modeler';
  connectionId: string;
  namespace?: Namespace;
  /** For a table tab. */
  tableName?: string;
  /** A second (third, ...) tab on the same table: 2, 3, ... (absent for the first). */
  instance?: number;
}

export const MAX_OPEN_TABS = 20;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  localEndpoint: { enabled: true, port: 8000 },
  pageSize: 200,
};

export interface AppInfo {
  version: string;
  /** "electron" when the preload API is present, "browser" through the WebSocket bridge. */
  shell: 'electron' | 'browser';
  /** The local engine's DynamoDB endpoint URL, when it is listening. */
  localEndpointUrl?: string;
  /** Why the local endpoint is not listening (port taken, disabled), in plain words. */
  localEndpointNote?: string;
  /** Where the local engine keeps its data, and how big it is. */
  storage?: StorageInfo;
}

export type StorageInfo = (
  | { kind: 'memory'; entries: number; valueBytes: number }
  | { kind: 'lmdb'; dataDir: string; fileBytes: number; pageSize: number; usedPages: number; livePages: number; freePages: number; mapBytes: number }
) & {
  /** Why the app runs on another store than the one asked for (the data directory is taken). */
  problem?: string;
};

/** Delete many items: BatchWriteItem in chunks of 25, with progress events and cancellation. */
export interface DeleteItemsRequest {
  connectionId: string;
  namespace?: Namespace;
  tableName: string;
  keys: Record<string, unknown>[];
  /** Lets the caller cancel through `tasks/cancel` and match `task/progress` events. */
  taskId: string;
}

export interface DeleteItemsResult {
  deleted: number;
  cancelled: boolean;
}

/**
 * One batch of an import: the renderer parses and checks the file, then streams its items here a
 * few hundred at a time under one task id, so a 100,000-item file never crosses in one message.
 * Each batch is written with BatchWriteItem in chunks of 25 (unprocessed items retried with
 * backoff); `task/progress` counts the items of this batch written so far.
 */
export interface ImportItemsRequest {
  connectionId: string;
  namespace?: Namespace;
  tableName: string;
  /** Items in DynamoDB JSON ({"S": ...} typed values). */
  items: Record<string, unknown>[];
  /** Lets the caller cancel through `tasks/cancel` (after the chunk in flight) and match progress. */
  taskId: string;
}

/** An item DynamoDB refused on its own, by index into the request's `items`, in DynamoDB's words. */
export interface ItemWriteFailure extends WireError {
  index: number;
}

export interface ImportItemsResult {
  written: number;
  failed: ItemWriteFailure[];
  /** The task was cancelled: items after the last chunk written were not sent. */
  cancelled: boolean;
}

/** A table on a connection (and, for the local engine, in a namespace). */
export interface TableTarget {
  connectionId: string;
  namespace?: Namespace;
  tableName: string;
}

/** A PartiQL statement to explain (parameters given so far, in DynamoDB's AttributeValue JSON). */
export interface PartiqlExplainRequest {
  connectionId: string;
  namespace?: Namespace;
  statement: string;
  parameters?: Record<string, unknown>[];
}

/** How the local engine's PartiQL planner would run a statement (engine/partiql/operations.ts). */
export interface PartiqlExplanation {
  /** GetItem: one item by its whole key. */
  access: 'GetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
  tableName: string;
  indexName?: string;
  /** The Query or Scan request the SELECT becomes. */
  request?: Record<string, unknown>;
  /** 1 for a key lookup; the table's (or index's) item count for a Scan. */
  estimatedItemsRead?: number;
  warning?: string;
}

/** The DynamoDB Streams operations the UI uses. */
export type StreamsOperation = 'ListStreams' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords';

/** One DynamoDB Streams operation, in the same shape as `DynamoCall`. */
export interface StreamsCall {
  connectionId: string;
  operation: StreamsOperation;
  input: Record<string, unknown>;
  namespace?: Namespace;
}

/** Per second, oldest first: [epochSecond, amount] pairs (consumed units, or throttled requests). */
export interface CapacitySeries {
  read: [number, number][];
  write: [number, number][];
}

/** What the capacity view draws for one table, taken in one call. */
export interface CapacitySnapshot {
  /** The table's own consumption (base table reads and writes). */
  table: CapacitySeries;
  /** Each index's consumption, by index name. */
  indexes: Record<string, CapacitySeries>;
  /** Requests throttling emulation refused, per second (reads and writes), against the table or its indexes. */
  throttled: CapacitySeries;
  /** Units consumed per partition-hash range (16 equal ranges of the hash space). */
  partitionHeat: number[];
  throttlingEmulation: boolean;
}

/**
 * How the local engine searches a vector index: exactly (no clusters) or over `clusters` clusters
 * (IVF), and a clustering running in the background: sampling the vectors, training centroids, or
 * moving the index's `entries` to them (`moved` so far).
 */
export interface VectorSearchInsight {
  clusters: number;
  clustering?: { phase: 'sampling' | 'training' | 'moving'; moved: number; entries: number };
}

export interface BackfillProgress {
  /** Items of the base table read into the index so far. */
  scanned: number;
  done: boolean;
}

/** TTL bookkeeping for one table, as the engine sees it; null from `insights/ttl` when TTL is off. */
export interface TtlInsight {
  attributeName: string;
  status: string;
  /** Items carrying a Number in the TTL attribute. */
  itemsWithTtl: number;
  /** Items already expired and waiting for the sweeper. */
  dueNow: number;
  /** Epoch seconds of the earliest expiry still ahead. */
  nextExpiry?: number;
}

/** A trigger's handler: a JS/TS module run in a worker thread, or a command line fed the event on stdin. */
export type TriggerHandler = { kind: 'module'; path: string; exportName?: string } | { kind: 'command'; command: string; cwd?: string };

/** Lambda's event source mapping settings for a DynamoDB stream, under Lambda's names, plus the function's Timeout and MemorySize. */
export interface TriggerSettings {
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  FilterCriteria?: { Filters?: { Pattern?: string }[] };
  MaximumRetryAttempts: number;
  MaximumRecordAgeInSeconds: number;
  BisectBatchOnFunctionError: boolean;
  FunctionResponseTypes: 'ReportBatchItemFailures'[];
  Timeout: number;
  MemorySize: number;
}

export interface TriggerDefinition {
  id: string;
  functionName: string;
  tableName: string;
  namespace: Namespace;
  /** Set for a trigger on a remote connection's stream. */
  connectionId?: string;
  handler: TriggerHandler;
  settings: TriggerSettings;
  /** false while paused. */
  enabled: boolean;
}

export interface TriggerInfo {
  definition: TriggerDefinition;
  runtime: {
    status: 'polling' | 'paused' | 'waiting' | 'error';
    message?: string;
    streamArn?: string;
    /** Epoch milliseconds of the last complete poll of the stream. */
    lastPolledAt?: number;
    iteratorAgeMs: number;
    recordsDelivered: number;
    invocations: number;
    errors: number;
    failedBatches: number;
  };
}

/** Creates a trigger on a table, or (with the id of one) changes it. */
export interface TriggerPut extends TableTarget {
  id?: string;
  functionName?: string;
  handler: TriggerHandler;
  settings?: Partial<TriggerSettings>;
  enabled?: boolean;
}

/** One stream record as Lambda hands it to a handler. */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

/** What the runtime reports when a handler fails. */
export interface HandlerError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export interface TriggerInvocation {
  requestId: string;
  startedAt: number;
  durationMs: number;
  /** Set when a fresh worker loaded the handler module first (Lambda's Init Duration). */
  initDurationMs?: number;
  batchSize: number;
  shardId: string;
  retries: number;
  outcome: 'success' | 'partial' | 'error' | 'timeout';
  error?: HandlerError;
  batchItemFailures?: string[];
  redrive?: boolean;
  logs: string[];
  /** The event exactly as the handler got it. */
  event: { Records: LambdaStreamRecord[] };
}

/** A batch that ran out of retries or age (the on-failure destination), with its records. */
export interface FailedBatch {
  id: string;
  failedAt: number;
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  retries: number;
  error?: HandlerError;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records: LambdaStreamRecord[];
  redrives: number;
}

/** One request the UI sent to a connection, as `history/list` reports it. */
export interface HistoryEntry {
  id: number;
  connectionId: string;
  /** Local engine only: the namespace the request addressed. */
  namespace?: Namespace;
  operation: string;
  /** Tables the request names (TableName, RequestItems, transaction actions). */
  tables: string[];
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** The request's input, exactly as sent. */
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  /** Why the response is not kept (too large), with its size. */
  responseOmitted?: string;
  error?: WireError;
  /** Capacity units the response reports as consumed, when it reports any. */
  capacityUnits?: number;
}

/** `query` and `item` (an item editor's text, e.g. a template for new items) belong to one table. */
export const SAVED_OPERATION_KINDS = ['query', 'transaction', 'partiql', 'item'] as const;
export type SavedOperationKind = (typeof SAVED_OPERATION_KINDS)[number];

/** A builder's state the user named and saved, to reopen in that builder. */
export interface SavedOperation {
  id: string;
  name: string;
  kind: SavedOperationKind;
  connectionId: string;
  namespace?: Namespace;
  /** Query builder operations belong to a table. */
  tableName?: string;
  /** The builder's own form, as it was saved (opaque to the backend). */
  body: Record<string, unknown>;
  /** Epoch milliseconds of the last save. */
  savedAt: number;
}

/** Saving: without `id` a new operation, with it a replacement (rename, re-save). */
export type SavedOperationInput = Omit<SavedOperation, 'id' | 'savedAt'> & { id?: string };

/** A data model the user saved, with what its latest runs measured. */
export interface SavedModel {
  id: string;
  model: DataModel;
  /** Epoch milliseconds of the last save. */
  savedAt: number;
  /** The latest run of its access patterns first, then the one before (to show what changed). */
  runs: AccessPatternRun[];
}

/** Saving: without `id` a new model, with it a replacement. */
export interface SavedModelInput {
  id?: string;
  model: DataModel;
}

/** A saved model and where to commit or run it. */
export interface ModelTarget {
  modelId: string;
  connectionId: string;
  namespace?: Namespace;
}

/** What committing a model table would do on a connection. */
export interface TableCommitPlan {
  tableName: string;
  exists: boolean;
  /** Global secondary indexes of the model the existing table lacks (committing adds them). */
  missingIndexes: string[];
  /** Why the existing table cannot take the model (another key schema, a missing local index). */
  conflicts: string[];
}

export interface ModelCommitRequest extends ModelTarget {
  /** Write sample data (BatchWriteItem) after creating the tables. */
  sampleData?: { seed: number; counts?: Record<string, number> };
  /**
   * Existing tables the commit may change (add indexes, write sample items), each typed out by
   * the user; a commit that would change an existing table not named here is refused.
   */
  confirmTables?: string[];
  /** Lets the caller cancel through `tasks/cancel` and match `task/progress` (sample items written). */
  taskId: string;
}

export interface ModelCommitResult {
  createdTables: string[];
  /** `Table.Index` of each index added to an existing table. */
  addedIndexes: string[];
  itemsWritten: number;
  cancelled: boolean;
}

/** One access pattern run against committed tables. */
export interface AccessPatternResult {
  tableName: string;
  pattern: string;
  operation: string;
  /** The request as sent, in DynamoDB's JSON. */
  request: Record<string, unknown>;
  /** The parameters it ran with. */
  parameters: Record<string, string>;
  error?: WireError;
  itemsReturned: number;
  /** Items the read went through (ScannedCount for a Query or Scan): more than returned means a filter discarded them. */
  itemsRead: number;
  readUnits: number;
  writeUnits: number;
  latencyMs: number;
  /** Up to 5 of the items returned, to show beside the pattern. */
  sampleItems: Item[];
  /** More items were there (LastEvaluatedKey): one page was read. */
  morePages: boolean;
}

export interface AccessPatternRun {
  connectionId: string;
  namespace?: Namespace;
  /** Epoch milliseconds. */
  ranAt: number;
  results: AccessPatternResult[];
}

/**
 * Request/response channels. Keys are channel names; each names its request and response.
 * Adding a channel here makes the preload allow-list, the bridge and the renderer client all
 * accept it, and the backend's handler table fails to type-check until it is implemented.
 */
export interface Channels {
  'app/info': { request: null; response: AppInfo };
  'connections/list': { request: null; response: ConnectionInfo[] };
  'connections/add': { request: NewRemoteConnection; response: ConnectionInfo };
  'connections/remove': { request: { id: string }; response: null };
  'connections/update': { request: RemoteConnectionUpdate; response: ConnectionInfo };
  /** One ListTables against the connection; fails with EndpointUnreachable when nothing answers. */
  'connections/test': { request: ConnectionTestRequest; response: ConnectionTestResult };
  /** Run one DynamoDB operation; resolves with DynamoDB's output. */
  dynamo: { request: DynamoCall; response: Record<string, unknown> };
  /** Namespaces of a connection that hold tables (the local engine; a remote lists its own region). */
  namespaces: { request: { connectionId: string }; response: NamespaceSummary[] };
  'settings/get': { request: null; response: Settings };
  'settings/set': { request: Partial<Settings>; response: Settings };
  'items/delete': { request: DeleteItemsRequest; response: DeleteItemsResult };
  'items/import': { request: ImportItemsRequest; response: ImportItemsResult };
  'tasks/cancel': { request: { taskId: string }; response: null };
  /**
   * An export file, written a page at a time (desktop only): the native save dialog picks the
   * path, or null when the user cancels; the browser bridge answers Unsupported and the renderer
   * downloads a Blob instead. Imports need no channel: the renderer streams the File it is given.
   */
  'files/create': { request: { suggestedName: string }; response: { fileId: string; path: string } | null };
  /** Appends one page of text to an export file. */
  'files/append': { request: { fileId: string; text: string }; response: null };
  /** Writes the file as `before` + every page + `after` (a CSV header is known only at the end). */
  'files/finish': { request: { fileId: string; before: string; after: string }; response: { path: string } };
  /** Drops an export file (a cancelled export): nothing is written at the chosen path. */
  'files/discard': { request: { fileId: string }; response: null };
  /** Run one DynamoDB Streams operation; resolves with its output. */
  streams: { request: StreamsCall; response: Record<string, unknown> };
  /** Capability `capacityMetrics`: the last `seconds` (60..300) of consumption, per table and index. */
  'insights/capacity': { request: TableTarget & { seconds: number }; response: CapacitySnapshot };
  /** Capability `throttlingEmulation`: turns emulation on or off; resolves with the new state. */
  'insights/throttling': { request: TableTarget & { enabled: boolean }; response: { enabled: boolean } };
  /** Capability `backfillProgress`: progress of running or finished GSI backfills, by index name. */
  'insights/backfill': { request: TableTarget; response: Record<string, BackfillProgress> };
  /** Capability `vectorSearchStatus`: how each vector index of the table is searched, by index name. */
  'insights/vectorSearch': { request: TableTarget; response: Record<string, VectorSearchInsight> };
  /** Capability `ttlSweep`: items with a TTL, due now and next to expire. */
  'insights/ttl': { request: TableTarget; response: TtlInsight | null };
  /** Capability `ttlSweep`: deletes every expired item of the connection now; resolves with the count. */
  'insights/sweepTtl': { request: { connectionId: string }; response: { deleted: number } };
  /** Capability `partiqlExplain` (the local engine): how a statement would run, without running it. */
  'partiql/explain': { request: PartiqlExplainRequest; response: PartiqlExplanation };
  /** Capability `streamTriggers`: the triggers of a table (or of the connection, without a table name). */
  'triggers/list': { request: { connectionId: string; namespace?: Namespace; tableName?: string }; response: TriggerInfo[] };
  'triggers/put': { request: TriggerPut; response: TriggerInfo };
  'triggers/delete': { request: { id: string }; response: null };
  /** Pause (false) or resume (true) a trigger; it resumes where it stopped. */
  'triggers/setEnabled': { request: { id: string; enabled: boolean }; response: TriggerInfo };
  /** The latest invocations, newest first, with their logs and events. */
  'triggers/invocations': { request: { id: string }; response: TriggerInvocation[] };
  'triggers/failed': { request: { id: string }; response: FailedBatch[] };
  /** Sends one failed batch (or all, without batchId) to the handler again. */
  'triggers/redrive': { request: { id: string; batchId?: string }; response: { succeeded: number; stillFailing: number } };
  /** The latest data requests sent through `dynamo` (newest first, at most 1,000), filtered by text. */
  'history/list': { request: { search?: string }; response: HistoryEntry[] };
  'history/clear': { request: null; response: null };
  /** Saved operations, all or of one connection. */
  'saved/list': { request: { connectionId?: string }; response: SavedOperation[] };
  'saved/save': { request: SavedOperationInput; response: SavedOperation };
  'saved/delete': { request: { id: string }; response: null };
  /** Data models: saved, with their latest access-pattern runs. */
  'models/list': { request: null; response: SavedModel[] };
  'models/save': { request: SavedModelInput; response: SavedModel };
  'models/delete': { request: { id: string }; response: null };
  /** What committing a saved model to a connection would create or change, without changing anything. */
  'models/plan': { request: ModelTarget; response: TableCommitPlan[] };
  /** Creates the model's missing tables and indexes and optionally writes its sample data. */
  'models/commit': { request: ModelCommitRequest; response: ModelCommitResult };
  /** Runs every access pattern against the committed tables; the run is kept with the model. */
  'models/run': { request: ModelTarget & { seed?: number }; response: AccessPatternRun };
  /** A model table guessed from an existing table and up to `sampleSize` (default 500) of its items. */
  'models/reverse': { request: TableTarget & { sampleSize?: number }; response: { table: ModelTable; itemsPerEntity: Record<string, number> } };
}

export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = Channels[C]['request'];
export type ResponseOf<C extends ChannelName> = Channels[C]['response'];

export interface TaskProgress {
  taskId: string;
  done: number;
  total: number;
}

/** Events pushed from the backend to every window or socket. */
export interface Events {
  'connections/changed': ConnectionInfo[];
  'settings/changed': Settings;
  'task/progress': TaskProgress;
  /** Saved operations changed (saved, renamed, deleted), in any window. */
  'saved/changed': null;
  /** Saved data models changed (saved, deleted, run), in any window. */
  'models/changed': null;
  /** A native menu item was chosen; the renderer runs the same command as its shortcut. */
  'app/command': { command: AppCommand };
}

/** Commands shared by native menus, the command palette and keyboard shortcuts. */
export type AppCommand =
  | 'palette'
  | 'refresh'
  | 'new-table'
  | 'new-item'
  | 'edit-item'
  | 'duplicate-item'
  | 'delete-items'
  | 'export-items'
  | 'import-items'
  | 'add-connection'
  | 'toggle-theme';

export type EventName = keyof Events;

/** Runtime allow-lists: the preload and the bridge refuse anything not named here. */
export const CHANNEL_NAMES = [
  'app/info',
  'connections/list',
  'connections/add',
  'connections/remove',
  'connections/update',
  'connections/test',
  'dynamo',
  'namespaces',
  'settings/get',
  'settings/set',
  'items/delete',
  'items/import',
  'tasks/cancel',
  'files/create',
  'files/append',
  'files/finish',
  'files/discard',
  'streams',
  'insights/capacity',
  'insights/throttling',
  'insights/backfill',
  'insights/vectorSearch',
  'insights/ttl',
  'insights/sweepTtl',
  'partiql/explain',
  'triggers/list',
  'triggers/put',
  'triggers/delete',
  'triggers/setEnabled',
  'triggers/invocations',
  'triggers/failed',
  'triggers/redrive',
  'history/list',
  'history/clear',
  'saved/list',
  'saved/save',
  'saved/delete',
  'models/list',
  'models/save',
  'models/delete',
  'models/plan',
  'models/commit',
  'models/run',
  'models/reverse',
] as const satisfies readonly ChannelName[];

export const EVENT_NAMES = ['connections/changed', 'settings/changed', 'task/progress', 'app/command', 'saved/changed', 'models/changed'] as const satisfies readonly EventName[];

// Compile-time proof that the allow-lists name every channel and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const everyChannelListed: Missing<ChannelName, (typeof CHANNEL_NAMES)[number]> extends never ? true : never = true;
const everyEventListed: Missing<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void everyChannelListed;
void everyEventListed;

/** The IPC channel prefix; main rejects anything without it (as VS Code does with `vscode:`). */
export const IPC_PREFIX = 'dynamo-lens:';
/** The single IPC channel on which main pushes events to the window. */
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;

/** The API the preload exposes as `window.dynamoLens`, and that the WebSocket bridge mirrors. */
export interface DynamoLensApi {
  readonly shell: 'electron' | 'browser';
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** WebSocket frames of the browser bridge. */
export type BridgeClientFrame = { id: number; channel: string; request: unknown };
export type BridgeServerFrame =
  | { id: number; result: Envelope<unknown> }
  | { event: EventName; payload: unknown };

/** Dynamo Lens's own error codes, for failures that are not DynamoDB's. */
export const APP_ERROR = {
  unknownChannel: 'UnknownChannel',
  unknownConnection: 'UnknownConnection',
  badRequest: 'BadRequest',
  internal: 'InternalError',
  disconnected: 'Disconnected',
  unsupported: 'Unsupported',
  /** Nothing answered at the connection's endpoint (refused, unknown host, timed out). */
  unreachable: 'EndpointUnreachable',
  /** The request would change existing tables the user has not typed the names of. */
  confirmationRequired: 'ConfirmationRequired',
} as const;
