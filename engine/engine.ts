/**
 * The engine: opens the store, dispatches operations by name, and tracks background work
 * (table status transitions, index backfills) so close() leaves nothing half-done.
 */
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT_ID, type DynamoEngine, type EngineOptions, type NamespaceSummary, type RequestContext, type VectorSearchStatus } from './api.ts';
import type { KeyContributorsReport } from './capacityTracker.ts';
import { Database } from './database.ts';
import { internalServerError, isDynamoDbError, tableNotFound, unknownOperationError } from './errors.ts';
import type { EngineSettings, Operation, OperationContext } from './operations/context.ts';
import { operations } from './operations/index.ts';
import { installPointInTimeLog } from './operations/pointInTime.ts';
import { explainStatement, type StatementExplanation } from './partiql/operations.ts';
import { backfillProgress } from './indexBackfill.ts';
import { clusterVectorIndex } from './vectorClustering.ts';
import type { DataDirOwner } from './storage/dataDirLock.ts';
import type { KvStore, StorageStatus } from './storage/kv.ts';
import { MemoryStore } from './storage/memoryStore.ts';
import type { AttributeValue, RequestInput } from './types.ts';
import { startBackgroundWork, type BackgroundWork } from './streams/background.ts';
import type { TtlTableStatus } from './ttl/sweeper.ts';

/** Per-OS default data directory (XDG on Linux, Application Support on macOS, AppData on Windows). */
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Dynamo Lens', 'data');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Dynamo Lens', 'data');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'dynamo-lens', 'data');
}

/** The region every request maps to when all regions share one namespace. */
export const SHARED_REGION = 'local';

export class Engine implements DynamoEngine {
  readonly db: Database;
  readonly settings: EngineSettings;
  readonly accountId: string;
  /** DynamoDB Streams and the TTL sweeper, with their periodic work scheduled through later(). */
  readonly background: BackgroundWork;
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly store: KvStore,
    options: EngineOptions,
  ) {
    this.db = new Database(store, options.clientRequestTokenWindowMs);
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.settings = {
      transitionDelayMs: options.transitionDelayMs ?? 0,
      singleRegion: options.singleRegion ?? false,
      recoveryPeriodDayMs: options.recoveryPeriodDayMs ?? 24 * 60 * 60 * 1000,
      exportRoot: options.exportRoot ?? (options.inMemory ? join(tmpdir(), 'dynamo-lens-s3') : join(options.dataDir ?? defaultDataDir(), 's3')),
    };
    installPointInTimeLog(this.db, this.settings.recoveryPeriodDayMs);
    this.background = startBackgroundWork(this.db, options, () => this.settings.transitionDelayMs, (ms, fn) => this.later(ms, fn));
    if (options.vectorClusteringMinimum !== undefined) this.db.vectorClusteringMinimum = options.vectorClusteringMinimum;
    this.db.onVectorClusteringDue = (tableUid, indexUid, layouts) => this.later(0, () => clusterVectorIndex(this.db, tableUid, indexUid, layouts, () => this.closed));
    this.db.resumeVectorClustering();
  }

  /** Where the data lives, the data file's size and its live and free pages. */
  storageStatus(): StorageStatus {
    return this.store.status();
  }

  /** What a process refused this data directory is told about its owner (e.g. our endpoint). */
  describeOwner(details: Partial<DataDirOwner>): void {
    this.store.describeOwner?.(details);
  }

  /** Per TTL-enabled table: items due for deletion now and the next expiry ahead. */
  ttlStatus(): TtlTableStatus[] {
    return this.background.ttl.status();
  }

  /** Deletes every expired item now instead of waiting for the background sweep. */
  sweepTtlNow(): Promise<number> {
    return this.background.ttl.sweepNow();
  }

  private tableIn(context: RequestContext, tableName: string) {
    const { accountId, region } = this.resolveContext(context);
    const table = this.db.table(accountId, region, tableName);
    if (!table) throw tableNotFound(tableName);
    return table;
  }

  /**
   * Consumed capacity per second over the last `seconds` (at most 300) for a table, or one of
   * its indexes: [epochSecond, units] pairs, for charts.
   */
  capacitySeries(context: RequestContext, tableName: string, indexName = '', seconds = 60) {
    return this.db.capacity.series(this.tableIn(context, tableName).record.uid, indexName, seconds);
  }

  /** Requests refused by throttling emulation per second, reads and writes apart. */
  throttledSeries(context: RequestContext, tableName: string, seconds = 60) {
    return this.db.capacity.throttledSeries(this.tableIn(context, tableName).record.uid, seconds);
  }

  /** Units consumed per partition-hash range (16 ranges of the 32-bit hash), for a hot-partition view. */
  partitionHeat(context: RequestContext, tableName: string): number[] {
    return this.db.capacity.partitionHeat(this.tableIn(context, tableName).record.uid);
  }

  /**
   * The most accessed and most throttled keys of a table (or one of its GSIs) while Contributor
   * Insights is on there, counted since the engine started: what the insights' CloudWatch rules
   * report on AWS. Keys are JSON arrays of their attribute values (partition, then sort).
   */
  keyContributors(context: RequestContext, tableName: string, indexName = '', top = 10): KeyContributorsReport {
    return this.db.capacity.keyContributors(this.tableIn(context, tableName).record.uid, indexName, top);
  }

  /** Turns provisioned-throughput throttling emulation on or off for one table. */
  async setThrottlingEmulation(context: RequestContext, tableName: string, enabled: boolean): Promise<void> {
    await this.db.setThrottlingEmulation(this.tableIn(context, tableName), enabled);
  }

  /** Whether throttling emulation is on for a table. */
  throttlingEmulation(context: RequestContext, tableName: string): boolean {
    return this.tableIn(context, tableName).record.throttlingEmulation ?? false;
  }

  /** Items scanned so far by running or finished GSI backfills of a table, by index name. */
  backfillProgress(context: RequestContext, tableName: string): Record<string, { scanned: number; done: boolean }> {
    const table = this.tableIn(context, tableName);
    const out: Record<string, { scanned: number; done: boolean }> = {};
    for (const index of [...table.record.indexes, ...(table.record.vectorIndexes ?? [])]) {
      const progress = backfillProgress.get(`${table.record.uid}/${index.IndexName}`);
      if (progress) out[index.IndexName] = { ...progress };
    }
    return out;
  }

  /** How each vector index of a table is searched now, by index name. */
  vectorSearchStatus(context: RequestContext, tableName: string): Record<string, VectorSearchStatus> {
    const table = this.tableIn(context, tableName);
    const out: Record<string, VectorSearchStatus> = {};
    for (const index of table.vectorIndexes) {
      const uid = index.record.uid;
      const newest = this.db.vectorLayoutsHolding(uid).at(-1);
      const progress = this.db.vectorClusteringProgress(uid);
      out[index.record.IndexName] = {
        clusters: newest?.clusters.centroids.length ?? 0,
        ...(progress ? { clustering: { phase: progress.phase, moved: progress.moved, entries: this.db.tableStats(uid).itemCount } } : {}),
      };
    }
    return out;
  }

  /** The namespace a request lands in (`--single-region` folds every region into one). */
  /** How ExecuteStatement would run a PartiQL statement (GetItem, Query, Scan or a write), without running it. */
  explainPartiql(context: RequestContext, statement: string, parameters: AttributeValue[] = []): StatementExplanation {
    return explainStatement(statement, parameters, this.operationContext(context));
  }

  resolveContext(context: RequestContext): RequestContext {
    return this.settings.singleRegion ? { accountId: context.accountId, region: SHARED_REGION } : context;
  }

  operationContext(context: RequestContext, rawResponses = false): OperationContext {
    return {
      rawResponses,
      db: this.db,
      request: this.resolveContext(context),
      settings: this.settings,
      later: (ms, fn) => this.later(ms, fn),
    };
  }

  /**
   * `rawResponses`: the caller takes a pre-serialised body from the RAW_RESPONSE symbol when one
   * is present (the HTTP endpoint does; other callers get plain objects).
   */
  async handle(operation: string, input: RequestInput, context: RequestContext, rawResponses = false): Promise<Record<string, unknown>> {
    const run: Operation | undefined = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!run) throw unknownOperationError();
    try {
      return await run(input, this.operationContext(context, rawResponses));
    } catch (error) {
      if (isDynamoDbError(error)) throw error;
      // A bug must never leak a stack trace to a client: log it here, answer as DynamoDB does.
      console.error(`[dynamo-lens] ${operation} failed:`, error);
      throw internalServerError();
    }
  }

  hasOperation(name: string): boolean {
    return Object.hasOwn(operations, name);
  }

  namespaces(): NamespaceSummary[] {
    const counts = new Map<string, NamespaceSummary>();
    for (const table of this.db.tables()) {
      const { accountId, region } = table.record;
      const key = `${accountId}/${region}`;
      const entry = counts.get(key) ?? { accountId, region, tableCount: 0 };
      entry.tableCount++;
      counts.set(key, entry);
    }
    return [...counts.values()].sort((a, b) => a.region.localeCompare(b.region) || a.accountId.localeCompare(b.accountId));
  }

  /** Schedules background work; close() waits for what has started and cancels what has not. */
  later(ms: number, fn: () => Promise<void> | void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const task = Promise.resolve()
        .then(fn)
        .catch((error) => console.error('[dynamo-lens] background task failed:', error))
        .finally(() => this.pending.delete(task));
      this.pending.add(task);
    }, ms);
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.pending);
    await this.store.close();
  }
}

export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  // LMDB's native module loads only when a durable store is asked for: in-memory start-up stays fast.
  const store: KvStore = options.inMemory
    ? new MemoryStore()
    : await (await import('./storage/lmdbStore.ts')).LmdbStore.open(options.dataDir ?? defaultDataDir());
  return new Engine(store, options);
}
