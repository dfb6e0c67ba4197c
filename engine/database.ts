/**
 * The engine's storage layout over one ordered keyspace, and the atomic item write path.
 *
 *   0x01 uid              -> TableRecord JSON (the catalog)
 *   0x02 uid              -> TableStats JSON (item count and bytes, updated with every write)
 *   0x03                  -> next uid
 *   0x04, 0x05            -> TransactWriteItems' client request tokens (clientRequestTokens.ts)
 *   0x10 uid hash pk sk   -> item
 *   0x11 iuid hash ipk isk pk sk -> projected item in index `iuid`
 *   0x12 uid hash pk      -> bytes of one item collection (tables with LSIs only)
 *   0x13 vuid [hash v] pk sk -> entry of vector index `vuid` (vectors.ts): [float32 x Dimensions][JSON];
 *                           `hash v` is the search-schema HASH value's partition bytes, when the index has one
 *   0x14 vuid g [hash v] c pk sk -> the same entry once the index is clustered (vectorClusters.ts): `g` is
 *                           the clustering's generation (uint32), `c` the entry's cluster (uint16)
 *   0x15 vuid g           -> the cluster centroids of generation `g` of vector index `vuid`
 *   In 0x11, 0x13 and 0x14 the trailing table key (pk sk, or hash pk sk) is a SHA-256 digest of it
 *   when the whole key would pass 4,000 bytes (entryKey): LMDB keys stop at 4,026.
 *   0x20, 0x21            -> stream records and stream metadata (streams/layout.ts)
 *   0x30, 0x31            -> on-demand backups and their items (operations/backups.ts)
 *   0x32 uid at seq       -> point-in-time recovery's change log (operations/pointInTime.ts)
 *   0x33, 0x34            -> exports to and imports from "S3" (operations/exports.ts, imports.ts)
 *
 * Items are stored as [uint32 item size][item JSON]: GetItem splices the JSON straight into its
 * response, and Query/Scan meter their 1 MB pages from the header without re-measuring.
 */
import { createHash } from 'node:crypto';
import { CapacityTracker } from './capacityTracker.ts';
import { CLIENT_REQUEST_TOKEN_WINDOW_MS, ClientRequestTokens } from './clientRequestTokens.ts';
import { DynamoDbError } from './errors.ts';
import { encodeKeyValue, partitionHash, prefixEnd } from './storage/keyCodec.ts';
import { MAX_DURABLE_KEY_BYTES, type KvEntry, type KvStore, type KvWriter } from './storage/kv.ts';
import {
  extractKey,
  indexableKey,
  keyValueBytes,
  MAX_PARTITION_KEY_BYTES,
  keyShapeOf,
  type VectorIndexRecord,
  type IndexRecord,
  type KeyShape,
  type TableRecord,
  type TableStats,
} from './tableModel.ts';
import type { AttributeValue, Item } from './types.ts';
import { itemSize } from './values.ts';
import { setOwn } from './ownKeys.ts';
import { decodeVectorEntryItem, encodeVectorEntry, vectorEntryFor, vectorEntrySize, vectorHashAttribute, type VectorEntry } from './vectors.ts';
import { clusterKeyBytes, decodeClusters, DEFAULT_CLUSTERING_MINIMUM, encodeClusters, nearestCluster, RETRAIN_GROWTH, type VectorClusters } from './vectorClusters.ts';

export const CATALOG = 0x01;
export const STATS = 0x02;
export const COUNTER = 0x03;
export const ITEMS = 0x10;
export const INDEX_ENTRIES = 0x11;
export const ITEM_COLLECTIONS = 0x12;
export const VECTOR_ENTRIES = 0x13;
export const VECTOR_CLUSTERED_ENTRIES = 0x14;
export const VECTOR_CLUSTER_MODELS = 0x15;
/** Point-in-time recovery's log of previous images (operations/pointInTime.ts); dropped with its table. */
export const POINT_IN_TIME_LOG = 0x32;

function prefixed(tag: number, uid: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = tag;
  b.writeUInt32BE(uid, 1);
  return b;
}

function generationKey(tag: number, uid: number, generation: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = tag;
  b.writeUInt32BE(uid, 1);
  b.writeUInt32BE(generation, 5);
  return b;
}

export function encodeItemValue(item: Item, size = itemSize(item), json = JSON.stringify(item)): Buffer {
  const out = Buffer.allocUnsafe(4 + Buffer.byteLength(json));
  out.writeUInt32BE(size, 0);
  out.write(json, 4);
  return out;
}

export function storedItemSize(value: Buffer): number {
  return value.readUInt32BE(0);
}

export function storedItemJson(value: Buffer): string {
  return value.toString('utf8', 4);
}

export function decodeItemValue(value: Buffer): Item {
  return JSON.parse(value.toString('utf8', 4)) as Item;
}

/** A change to one item, as seen by hooks that run inside the same atomic write (streams). */
export interface ItemChange {
  table: TableRecord;
  key: Item;
  /** Where the item is stored: the table's item prefix, then the encoded key. */
  storageKey: Buffer;
  /** The previous item when the write path decoded it; see oldExisted and oldJson otherwise. */
  oldItem: Item | undefined;
  /** Whether an item was there before (oldItem may be left undecoded for speed). */
  oldExisted: boolean;
  newItem: Item | undefined;
  /** Set for deletions made by the TTL sweeper. */
  byTtl?: boolean;
  /** The items' JSON and sizes as stored, so hooks need not serialise or measure them again. */
  oldJson?: string;
  newJson?: string;
  oldSize: number;
  newSize: number;
}

/** Work that runs inside the same atomic write as every item change (DynamoDB Streams). */
export interface ChangeHook {
  /** Whether changes to this table concern the hook; others skip decoding the old item for it. */
  wants(table: TableRecord): boolean;
  apply(writer: KvWriter, change: ItemChange): void;
}

export interface StageOptions {
  /** The stored value the caller already read in this write (null: known absent). */
  oldRaw?: Buffer | null;
  /** The caller's decoding of oldRaw, to save decoding it twice. */
  oldItem?: Item;
  /** The caller needs the previous item back (ReturnValues ALL_OLD and the like). */
  wantOld?: boolean;
  /** Size of newItem when the caller has measured it already. */
  newSize?: number;
  /** A deletion made by the TTL sweeper (streams record the service as the actor). */
  byTtl?: boolean;
  /** itemStorageKey(table, key), when the caller has encoded it already. */
  storageKey?: Buffer;
}

/** What one staged write replaced and wrote. */
export interface StagedWrite {
  existed: boolean;
  /** The previous item, when it was decoded (see StageOptions.wantOld). */
  oldItem: Item | undefined;
  oldSize: number;
  newSize: number;
}

/** Runtime view of a table or index: its key geometry and where its entries live. */
export interface KeySpace {
  shape: KeyShape;
  /** Bytes before the hash: table items or one index's entries. */
  prefix: Buffer;
}

export class TableHandle {
  readonly shape: KeyShape;
  readonly itemPrefix: Buffer;
  readonly indexes: { record: IndexRecord; shape: KeyShape; prefix: Buffer }[];
  readonly vectorIndexes: VectorSpace[];
  /** Tables with LSIs track item-collection sizes (the 10 GB limit, ItemCollectionMetrics). */
  readonly hasLocalIndexes: boolean;

  constructor(readonly record: TableRecord) {
    this.shape = keyShapeOf(record.KeySchema, record.AttributeDefinitions);
    this.itemPrefix = prefixed(ITEMS, record.uid);
    this.indexes = record.indexes.map((index) => ({
      record: index,
      shape: keyShapeOf(index.KeySchema, record.AttributeDefinitions),
      prefix: prefixed(INDEX_ENTRIES, index.uid),
    }));
    this.hasLocalIndexes = record.indexes.some((i) => i.kind === 'LSI');
    this.vectorIndexes = (record.vectorIndexes ?? []).map((index) => ({ record: index, prefix: prefixed(VECTOR_ENTRIES, index.uid) }));
  }

  vectorIndex(name: string): VectorSpace | undefined {
    return this.vectorIndexes.find((i) => i.record.IndexName === name);
  }

  index(name: string) {
    return this.indexes.find((i) => i.record.IndexName === name);
  }
}

/** A vector index at run time: its definition and where its entries live. */
export interface VectorSpace {
  record: VectorIndexRecord;
  prefix: Buffer;
}

/** One clustering of a vector index: its centroids, and where the entries filed under them live. */
export interface ClusteredLayout {
  generation: number;
  clusters: VectorClusters;
  /** 0x14 vuid generation */
  prefix: Buffer;
}

/**
 * Where a vector index's entries are. They are flat (under VectorSpace.prefix, scored one by one)
 * until the index is clustered; each clustering is a new generation with its own key range. New
 * entries go under the newest layout. While `draining`, older layouts (flat, earlier generations)
 * still hold entries, which the clustering job (vectorClustering.ts) moves over a few at a time;
 * every entry is in exactly one layout throughout.
 */
export class VectorLayouts {
  clustered: ClusteredLayout[] = [];
  draining = false;
  /** The clustering job scheduled or running for this index, and how far it is. */
  job: ClusteringProgress | undefined;

  get newest(): ClusteredLayout | undefined {
    return this.clustered.at(-1);
  }

  /** The layouts that may hold an entry: `undefined` stands for the flat one. */
  holding(): (ClusteredLayout | undefined)[] {
    return this.draining ? [undefined, ...this.clustered] : [this.newest];
  }
}

export interface ClusteringProgress {
  phase: 'sampling' | 'training' | 'moving';
  /** Entries moved to the new clustering so far. */
  moved: number;
}

/** Where a vector index's entries of one HASH partition start in a layout (all of them, for an index without one). */
export function vectorPartitionStart(layoutPrefix: Buffer, partition: AttributeValue | undefined): Buffer {
  return partition ? partitionPrefix(layoutPrefix, encodeKeyValue(partition)) : layoutPrefix;
}

/**
 * Where one item's entry in a vector index lives in a layout: under its HASH partition, if the
 * index has one, then (in a clustered layout) under the cluster its vector is nearest.
 */
function vectorEntryKey(index: VectorSpace, layout: ClusteredLayout | undefined, entry: Pick<VectorEntry, 'vector' | 'partition'>, tableKeyBytes: Buffer): Buffer {
  const start = vectorPartitionStart(layout?.prefix ?? index.prefix, entry.partition);
  if (!layout) return entryKey(start, tableKeyBytes);
  return entryKey(Buffer.concat([start, clusterKeyBytes(nearestCluster(index.record.DistanceFunction, layout.clusters, entry.vector))]), tableKeyBytes);
}

/**
 * The longest index or vector entry key written whole. LMDB (8 KB pages) refuses keys past 4,026
 * bytes, and an entry's key holds an index key and the item's table key, each up to 3,072 bytes at
 * DynamoDB's key limits. Both stores apply the bound, so entries are laid out alike in either.
 */
export const MAX_WHOLE_ENTRY_KEY_BYTES = 4000;

/**
 * An index or vector entry's key: where the entry files (`head`: the index's key, or the vector
 * index's partition and cluster), then the item's table key, which only tells apart entries with
 * the same head. When the two together are too long to store, a SHA-256 digest of the table key
 * stands in for it: as unique, and the order among entries with one head is one DynamoDB does not
 * promise. Deterministic, so an ExclusiveStartKey finds its entry again. (Entries that fit keep the
 * whole table key, so data written before this bound is read as it was.)
 */
export function entryKey(head: Buffer, tableKeyBytes: Buffer): Buffer {
  if (head.length + tableKeyBytes.length <= MAX_WHOLE_ENTRY_KEY_BYTES) return Buffer.concat([head, tableKeyBytes]);
  return Buffer.concat([head, createHash('sha256').update(tableKeyBytes).digest()]);
}

/** Encoded partition key bytes (all partition attributes in order). */
export function encodePartition(key: Item, shape: KeyShape): Buffer {
  if (shape.hashKeys.length === 1) return encodeKeyValue(key[shape.hashKeys[0]]);
  return Buffer.concat(shape.hashKeys.map((n) => encodeKeyValue(key[n])));
}

export function encodeSort(key: Item, shape: KeyShape): Buffer {
  if (shape.rangeKeys.length === 0) return Buffer.alloc(0);
  if (shape.rangeKeys.length === 1) return encodeKeyValue(key[shape.rangeKeys[0]]);
  return Buffer.concat(shape.rangeKeys.map((n) => encodeKeyValue(key[n])));
}

/** prefix + hash(pk) + pk: the start of one partition's entries. */
export function partitionPrefix(prefix: Buffer, encodedPartition: Buffer): Buffer {
  return Buffer.concat([prefix, partitionHash(encodedPartition), encodedPartition]);
}

export function itemStorageKey(table: TableHandle, key: Item): Buffer {
  const pk = encodePartition(key, table.shape);
  return Buffer.concat([table.itemPrefix, partitionHash(pk), pk, encodeSort(key, table.shape)]);
}

/** Where an item's entry in a GSI or LSI lives: the index's key, then the table's (see entryKey). */
export function indexEntryKey(index: KeySpace, indexKey: Item, tableKeyBytes: Buffer): Buffer {
  const pk = encodePartition(indexKey, index.shape);
  return entryKey(Buffer.concat([index.prefix, partitionHash(pk), pk, encodeSort(indexKey, index.shape)]), tableKeyBytes);
}

/** The attributes an index stores for an item: its keys, the table keys, and what it projects. */
export function projectForIndex(item: Item, table: TableHandle, index: TableHandle['indexes'][number]): Item {
  const projection = index.record.Projection;
  if (projection.ProjectionType === 'ALL') return item;
  const out: Item = {};
  const keep = (name: string): void => {
    if (Object.hasOwn(item, name)) setOwn(out, name, item[name]);
  };
  for (const name of table.shape.hashKeys) keep(name);
  for (const name of table.shape.rangeKeys) keep(name);
  for (const name of index.shape.hashKeys) keep(name);
  for (const name of index.shape.rangeKeys) keep(name);
  if (projection.ProjectionType === 'INCLUDE') for (const name of projection.NonKeyAttributes ?? []) keep(name);
  return out;
}

export class Database {
  private readonly tablesByName = new Map<string, TableHandle>();
  private readonly stats = new Map<number, TableStats>();
  private nextUid = 1;
  /** Where each clustered vector index's entries are, by index uid (indexes never clustered have none). */
  private readonly vectorLayouts = new Map<number, VectorLayouts>();
  /** Entries a vector index holds before it is clustered (an engine option; tests lower it). */
  vectorClusteringMinimum = DEFAULT_CLUSTERING_MINIMUM;
  /**
   * Called (inside a write) when a vector index is due to be clustered: the engine schedules the
   * job, which works on `layouts` only (a restore or reload in between replaces them, and the job
   * then finds nothing to do).
   */
  onVectorClusteringDue: ((tableUid: number, indexUid: number, layouts: VectorLayouts) => void) | undefined;
  readonly changeHooks: ChangeHook[] = [];
  /** Consumption per second and partition, and throttling emulation. */
  readonly capacity = new CapacityTracker();
  readonly clientRequestTokens: ClientRequestTokens;
  /**
   * The store, its writes undoing what they changed in the statistics cache when they throw: the
   * cache is updated as a write is staged (so the write's later steps see it), and a write that
   * throws after staging commits nothing.
   */
  readonly store: KvStore;
  /** Statistics as they were before the write being staged changed them (by uid). */
  private statsBeforeWrite: Map<number, TableStats | undefined> | undefined;

  constructor(store: KvStore, clientRequestTokenWindowMs = CLIENT_REQUEST_TOKEN_WINDOW_MS) {
    this.store = {
      get: (key) => store.get(key),
      range: (start, end, reverse, withKeys, transientValues) => store.range(start, end, reverse, withKeys, transientValues),
      write: (fn) => store.write((w) => this.undoStatsIfThrown(w, fn)),
      status: () => store.status(),
      close: () => store.close(),
    };
    this.clientRequestTokens = new ClientRequestTokens(store, clientRequestTokenWindowMs);
    this.reload();
  }

  private undoStatsIfThrown<T>(w: KvWriter, fn: (writer: KvWriter) => T): T {
    const before = new Map<number, TableStats | undefined>();
    this.statsBeforeWrite = before;
    try {
      return fn(w);
    } catch (error) {
      for (const [uid, stats] of before) {
        if (stats) this.stats.set(uid, stats);
        else this.stats.delete(uid);
      }
      throw error;
    } finally {
      this.statsBeforeWrite = undefined;
    }
  }

  /** Reads the catalog, statistics and uid counter from the store: at start, and after its contents were replaced (a snapshot restored). */
  reload(): void {
    const store = this.store;
    this.tablesByName.clear();
    this.stats.clear();
    this.vectorLayouts.clear();
    this.nextUid = 1;
    for (const { value } of store.range(Buffer.from([CATALOG]), Buffer.from([CATALOG + 1]))) {
      const record = JSON.parse(value.toString('utf8')) as TableRecord;
      this.tablesByName.set(namespaceKey(record.accountId, record.region, record.TableName), new TableHandle(record));
    }
    for (const { key, value } of store.range(Buffer.from([STATS]), Buffer.from([STATS + 1]))) {
      this.stats.set(key.readUInt32BE(1), JSON.parse(value.toString('utf8')) as TableStats);
    }
    for (const { key, value } of store.range(Buffer.from([VECTOR_CLUSTER_MODELS]), Buffer.from([VECTOR_CLUSTER_MODELS + 1]))) {
      const uid = key.readUInt32BE(1);
      const generation = key.readUInt32BE(5);
      this.vectorLayoutsOf(uid).clustered.push({ generation, clusters: decodeClusters(value), prefix: generationKey(VECTOR_CLUSTERED_ENTRIES, uid, generation) });
    }
    for (const [uid, layouts] of this.vectorLayouts) {
      // A move cut short (by a restart) left entries in older layouts: the job resumes it.
      layouts.draining = layouts.clustered.length > 1 || this.holdsEntries(prefixed(VECTOR_ENTRIES, uid));
    }
    const counter = store.get(Buffer.from([COUNTER]));
    if (counter) this.nextUid = counter.readUInt32BE(0);
  }

  private holdsEntries(prefix: Buffer): boolean {
    for (const _ of this.store.range(prefix, prefixEnd(prefix), false, false)) return true;
    return false;
  }

  /** Where a vector index's entries are (created empty, flat, on first use). */
  vectorLayoutsOf(uid: number): VectorLayouts {
    let layouts = this.vectorLayouts.get(uid);
    if (!layouts) {
      layouts = new VectorLayouts();
      this.vectorLayouts.set(uid, layouts);
    }
    return layouts;
  }

  /** The layouts that may hold an entry of a vector index, `undefined` standing for the flat one. */
  vectorLayoutsHolding(uid: number): (ClusteredLayout | undefined)[] {
    return this.vectorLayouts.get(uid)?.holding() ?? [undefined];
  }

  /** How far the clustering of a vector index has come, while one is scheduled or running. */
  vectorClusteringProgress(uid: number): ClusteringProgress | undefined {
    return this.vectorLayouts.get(uid)?.job;
  }

  /** Whether `layouts` is still how the index's entries are laid out (not dropped, emptied or reloaded since). */
  isCurrentVectorLayouts(uid: number, layouts: VectorLayouts): boolean {
    return this.vectorLayouts.get(uid) === layouts;
  }

  /**
   * Whether a vector index should be clustered now: it is ACTIVE and holds vectorClusteringMinimum
   * entries, and was never clustered or has grown RETRAIN_GROWTH times since; or a move of its
   * entries to a new clustering was cut short.
   */
  vectorClusteringDue(index: VectorSpace): boolean {
    if (index.record.IndexStatus !== 'ACTIVE') return false;
    const layouts = this.vectorLayouts.get(index.record.uid);
    if (layouts?.draining) return true;
    const entries = this.tableStats(index.record.uid).itemCount;
    const newest = layouts?.newest;
    return entries >= this.vectorClusteringMinimum && (!newest || entries >= newest.clusters.trainedOn * RETRAIN_GROWTH);
  }

  /** Schedules clustering for each vector index due it and not already being clustered. */
  scheduleVectorClustering(table: TableHandle, index: VectorSpace): void {
    if (!this.onVectorClusteringDue || !this.vectorClusteringDue(index)) return;
    const layouts = this.vectorLayoutsOf(index.record.uid);
    if (layouts.job) return;
    layouts.job = { phase: 'sampling', moved: 0 };
    this.onVectorClusteringDue(table.record.uid, index.record.uid, layouts);
  }

  /** At start and after a reload: picks up clusterings that are due or were cut short. */
  resumeVectorClustering(): void {
    for (const table of this.tables()) for (const index of table.vectorIndexes) this.scheduleVectorClustering(table, index);
  }

  /**
   * Inside a write: makes `clusters` the newest layout of the index. From this write on, entries
   * are written under it, and the older layouts drain into it.
   */
  stageVectorClusters(w: KvWriter, index: VectorSpace, layouts: VectorLayouts, clusters: VectorClusters): void {
    const uid = index.record.uid;
    const generation = (layouts.newest?.generation ?? 0) + 1;
    w.put(generationKey(VECTOR_CLUSTER_MODELS, uid, generation), encodeClusters(clusters));
    layouts.clustered.push({ generation, clusters, prefix: generationKey(VECTOR_CLUSTERED_ENTRIES, uid, generation) });
    layouts.draining = true;
  }

  /**
   * Inside a write: moves up to `limit` entries from the older layouts of a draining index to its
   * newest one. Returns how many moved, and done once none are left (the older models dropped).
   */
  stageVectorMove(w: KvWriter, table: TableHandle, index: VectorSpace, layouts: VectorLayouts, limit: number): { moved: number; done: boolean } {
    const target = layouts.newest!;
    const dimensions = index.record.Dimensions;
    const hash = vectorHashAttribute(index.record);
    for (const source of [index.prefix, ...layouts.clustered.slice(0, -1).map((l) => l.prefix)]) {
      const batch: KvEntry[] = [];
      for (const entry of this.store.range(source, prefixEnd(source))) {
        batch.push(entry);
        if (batch.length === limit) break;
      }
      if (batch.length === 0) continue;
      let moved = 0;
      for (const { key, value } of batch) {
        // Seen as this write sees the store: a write queued ahead may have removed the entry.
        if (!w.get(key)) continue;
        const vector = new Float32Array(dimensions);
        new Uint8Array(vector.buffer).set(value.subarray(0, dimensions * 4));
        const projected = decodeVectorEntryItem(value, dimensions);
        const tableKeyBytes = itemStorageKey(table, projected).subarray(table.itemPrefix.length);
        w.remove(key);
        w.put(vectorEntryKey(index, target, { vector, partition: hash ? projected[hash] : undefined }, tableKeyBytes), value);
        moved++;
      }
      return { moved, done: false };
    }
    for (const older of layouts.clustered.slice(0, -1)) w.remove(generationKey(VECTOR_CLUSTER_MODELS, index.record.uid, older.generation));
    layouts.clustered = [target];
    layouts.draining = false;
    return { moved: 0, done: true };
  }

  table(accountId: string, region: string, name: string): TableHandle | undefined {
    return this.tablesByName.get(namespaceKey(accountId, region, name));
  }

  tables(): TableHandle[] {
    return [...this.tablesByName.values()];
  }

  tableStats(uid: number): TableStats {
    return this.stats.get(uid) ?? { itemCount: 0, sizeBytes: 0 };
  }

  /** Reserves uids for a new table and its indexes (persisted with the next catalog write). */
  allocateUid(): number {
    return this.nextUid++;
  }

  /** Writes a table definition (create or update) and refreshes the in-memory catalog. */
  async saveTable(record: TableRecord): Promise<TableHandle> {
    await this.store.write((w) => this.stageTable(w, record));
    return this.refresh(record);
  }

  stageTable(w: KvWriter, record: TableRecord): void {
    w.put(prefixed(CATALOG, record.uid), Buffer.from(JSON.stringify(record)));
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.nextUid, 0);
    w.put(Buffer.from([COUNTER]), counter);
  }

  refresh(record: TableRecord): TableHandle {
    const handle = new TableHandle(record);
    this.tablesByName.set(namespaceKey(record.accountId, record.region, record.TableName), handle);
    return handle;
  }

  /** Turns provisioned-throughput throttling emulation on or off for one table (a local setting). */
  async setThrottlingEmulation(handle: TableHandle, enabled: boolean): Promise<void> {
    await this.saveTable({ ...handle.record, throttlingEmulation: enabled });
  }

  /** Removes a table, its items and its index entries in one atomic write. */
  async dropTable(handle: TableHandle): Promise<void> {
    const { record } = handle;
    await this.store.write((w) => {
      w.remove(prefixed(CATALOG, record.uid));
      w.remove(prefixed(STATS, record.uid));
      for (const index of [...record.indexes, ...(record.vectorIndexes ?? [])]) w.remove(prefixed(STATS, index.uid));
      const prefixes = [
        handle.itemPrefix,
        ...handle.indexes.map((i) => i.prefix),
        ...handle.vectorIndexes.flatMap((i) => vectorIndexPrefixes(i.record.uid)),
        prefixed(ITEM_COLLECTIONS, record.uid),
        prefixed(POINT_IN_TIME_LOG, record.uid),
      ];
      for (const prefix of prefixes) {
        for (const { key } of this.store.range(prefix, prefixEnd(prefix))) w.remove(key);
      }
    });
    this.tablesByName.delete(namespaceKey(record.accountId, record.region, record.TableName));
    this.stats.delete(record.uid);
    for (const index of [...record.indexes, ...(record.vectorIndexes ?? [])]) this.stats.delete(index.uid);
    for (const index of record.vectorIndexes ?? []) this.vectorLayouts.delete(index.uid);
    this.capacity.forget(record.uid);
  }

  /** Removes every entry of one index, and its statistics (after a GSI or vector index is deleted). */
  async dropIndexEntries(indexUid: number, kind: 'secondary' | 'vector' = 'secondary'): Promise<void> {
    const prefixes = kind === 'vector' ? vectorIndexPrefixes(indexUid) : [prefixed(INDEX_ENTRIES, indexUid)];
    await this.store.write((w) => {
      for (const prefix of prefixes) for (const { key } of this.store.range(prefix, prefixEnd(prefix))) w.remove(key);
      w.remove(prefixed(STATS, indexUid));
    });
    this.stats.delete(indexUid);
    this.vectorLayouts.delete(indexUid);
  }

  getItem(table: TableHandle, key: Item): Buffer | undefined {
    return this.store.get(itemStorageKey(table, key));
  }

  /**
   * Inside a write: replaces (newItem) or deletes (undefined) the item at `key`, keeping every
   * index and the table's statistics in step, and running change hooks (streams) in the same
   * transaction. Returns what was there and the sizes written, for capacity and ReturnValues.
   * The previous item is decoded only when something needs it (indexes, streams, `wantOld`).
   */
  stageItemChange(w: KvWriter, table: TableHandle, key: Item, newItem: Item | undefined, options: StageOptions = {}): StagedWrite {
    const storageKey = options.storageKey ?? itemStorageKey(table, key);
    const raw = options.oldRaw === undefined ? w.get(storageKey) : (options.oldRaw ?? undefined);
    const oldSize = raw ? storedItemSize(raw) : 0;
    const hooked = this.changeHooks.some((hook) => hook.wants(table.record));
    // Hooks get the stored JSON; only index maintenance and the caller need the decoded item.
    const needOld = options.wantOld || table.indexes.length > 0 || table.vectorIndexes.length > 0;
    const oldItem = raw && needOld ? (options.oldItem ?? decodeItemValue(raw)) : undefined;
    if (!raw && !newItem) return { existed: false, oldItem: undefined, oldSize: 0, newSize: 0 };
    const newSize = newItem ? (options.newSize ?? itemSize(newItem)) : 0;
    const newJson = newItem ? JSON.stringify(newItem) : undefined;
    if (newItem) w.put(storageKey, encodeItemValue(newItem, newSize, newJson));
    else w.remove(storageKey);

    let collectionDelta = 0;
    if (table.indexes.length > 0) {
      const tableKeyBytes = storageKey.subarray(table.itemPrefix.length + 4);
      for (const index of table.indexes) {
        if (index.record.IndexStatus === 'DELETING') continue;
        const oldIndexKey = oldItem && extractKey(oldItem, index.shape);
        const newIndexKey = newItem && extractKey(newItem, index.shape);
        if (!oldIndexKey && !newIndexKey) continue;
        const oldEntry = oldIndexKey && indexEntryKey(index, oldIndexKey, tableKeyBytes);
        const newEntry = newIndexKey && indexEntryKey(index, newIndexKey, tableKeyBytes);
        const oldEntrySize = oldEntry ? itemSize(projectForIndex(oldItem!, table, index)) : 0;
        let newEntrySize = 0;
        if (oldEntry && (!newEntry || !oldEntry.equals(newEntry))) w.remove(oldEntry);
        if (newEntry && newItem) {
          const projected = projectForIndex(newItem, table, index);
          newEntrySize = itemSize(projected);
          w.put(newEntry, encodeItemValue(projected, newEntrySize));
        }
        this.stageStatsDelta(w, index.record.uid, (newEntry ? 1 : 0) - (oldEntry ? 1 : 0), newEntrySize - oldEntrySize);
        if (index.record.kind === 'LSI') collectionDelta += newEntrySize - oldEntrySize;
      }
    }

    if (table.vectorIndexes.length > 0) this.stageVectorEntries(w, table, storageKey, oldItem, newItem);

    this.stageStatsDelta(w, table.record.uid, (newItem ? 1 : 0) - (raw ? 1 : 0), newSize - oldSize);
    if (table.hasLocalIndexes) this.stageCollectionDelta(w, table, key, newSize - oldSize + collectionDelta);

    if (hooked) {
      const change: ItemChange = {
        table: table.record,
        key,
        storageKey,
        oldItem,
        oldExisted: raw !== undefined,
        newItem,
        byTtl: options.byTtl ?? false,
        oldJson: raw ? storedItemJson(raw) : undefined,
        newJson,
        oldSize,
        newSize,
      };
      for (const hook of this.changeHooks) if (hook.wants(table.record)) hook.apply(w, change);
    }
    return { existed: raw !== undefined, oldItem, oldSize, newSize };
  }

  /** Keeps every vector index (but those being deleted) in step with one item's change. */
  private stageVectorEntries(w: KvWriter, table: TableHandle, storageKey: Buffer, oldItem: Item | undefined, newItem: Item | undefined): void {
    const tableKeyBytes = storageKey.subarray(table.itemPrefix.length);
    const { shape } = table;
    const definitions = table.record.AttributeDefinitions;
    for (const index of table.vectorIndexes) {
      if (index.record.IndexStatus === 'DELETING') continue;
      const oldEntry = oldItem && vectorEntryFor(oldItem, index.record, shape, definitions);
      const newEntry = newItem && vectorEntryFor(newItem, index.record, shape, definitions);
      if (!oldEntry && !newEntry) continue;
      const layouts = this.vectorLayouts.get(index.record.uid);
      const newKey = newEntry && vectorEntryKey(index, layouts?.newest, newEntry, tableKeyBytes);
      if (oldEntry) {
        // A layout's centroids never change, so the old vector still names the key its entry is
        // under; while the index drains, that may be in any of its layouts. An unchanged vector
        // (an update of other attributes) is under the new key in the newest layout.
        const unchanged = newEntry !== undefined && sameVectorAndPartition(oldEntry, newEntry);
        for (const layout of this.vectorLayoutsHolding(index.record.uid)) {
          if (unchanged && layout === layouts?.newest) continue;
          const oldKey = vectorEntryKey(index, layout, oldEntry, tableKeyBytes);
          if (!newKey || !oldKey.equals(newKey)) w.remove(oldKey);
        }
      }
      if (newKey) w.put(newKey, encodeVectorEntry(newEntry!));
      const oldSize = oldEntry ? vectorEntrySize(oldEntry, index.record) : 0;
      const newSize = newEntry ? vectorEntrySize(newEntry, index.record) : 0;
      this.stageStatsDelta(w, index.record.uid, (newEntry ? 1 : 0) - (oldEntry ? 1 : 0), newSize - oldSize);
      if (newEntry && !oldEntry) this.scheduleVectorClustering(table, index);
    }
  }

  /** Writes the vector index entry for one existing item (vector index backfill); items it cannot hold are left out, as in stageIndexEntry. */
  stageVectorEntry(w: KvWriter, table: TableHandle, indexName: string, item: Item): void {
    const index = table.vectorIndex(indexName);
    if (!index) return;
    const entry = vectorEntryFor(item, index.record, table.shape, table.record.AttributeDefinitions);
    if (!entry || (entry.partition && keyValueBytes(entry.partition) > MAX_PARTITION_KEY_BYTES)) return;
    const storageKey = itemStorageKey(table, item);
    // Indexes are clustered only once ACTIVE, so a backfill writes flat entries.
    const entryKey = vectorEntryKey(index, undefined, entry, storageKey.subarray(table.itemPrefix.length));
    // Only keys of mostly zero bytes (escaped two for one) get past what LMDB holds.
    if (entryKey.length > MAX_DURABLE_KEY_BYTES) return;
    // A write racing the backfill may have put this entry already: count it once.
    const existing = w.get(entryKey);
    w.put(entryKey, encodeVectorEntry(entry));
    if (!existing) this.stageStatsDelta(w, index.record.uid, 1, vectorEntrySize(entry, index.record));
  }

  /** The stored item at `key` as the current write transaction sees it. */
  readForWrite(w: KvWriter, table: TableHandle, key: Item, storageKey = itemStorageKey(table, key)): Buffer | undefined {
    return w.get(storageKey);
  }

  /** Bytes of one item collection (all items with one partition key, plus their LSI entries). */
  itemCollectionSizeBytes(table: TableHandle, key: Item): number {
    const counter = this.store.get(this.collectionKey(table, key));
    return counter ? counter.readUInt32BE(0) * 2 ** 32 + counter.readUInt32BE(4) : 0;
  }

  private collectionKey(table: TableHandle, key: Item): Buffer {
    return partitionPrefix(prefixed(ITEM_COLLECTIONS, table.record.uid), encodePartition(key, table.shape));
  }

  /** Keeps an item collection's byte count in step (a counter, so the 10 GB check costs one read). */
  private stageCollectionDelta(w: KvWriter, table: TableHandle, key: Item, delta: number): void {
    if (delta === 0) return;
    const counterKey = this.collectionKey(table, key);
    const current = w.get(counterKey);
    const bytes = (current ? current.readUInt32BE(0) * 2 ** 32 + current.readUInt32BE(4) : 0) + delta;
    if (bytes <= 0) {
      w.remove(counterKey);
      return;
    }
    const out = Buffer.alloc(8);
    out.writeUInt32BE(Math.floor(bytes / 2 ** 32), 0);
    out.writeUInt32BE(bytes % 2 ** 32, 4);
    w.put(counterKey, out);
  }

  /** Tables with LSIs cap an item collection at 10 GB (the limit is configurable for tests). */
  checkItemCollectionLimit(table: TableHandle, key: Item, item: Item): void {
    if (!table.hasLocalIndexes) return;
    const projected = this.itemCollectionSizeBytes(table, key) + itemSize(item);
    if (projected > this.itemCollectionLimitBytes) {
      throw new DynamoDbError('ItemCollectionSizeLimitExceededException', 'Item collection size limit exceeded');
    }
  }

  itemCollectionLimitBytes = 10 * 1024 ** 3;

  /** Counts and bytes of a table or index (by uid), kept in step with every write. */
  private stageStatsDelta(w: KvWriter, uid: number, items: number, bytes: number): void {
    if (items === 0 && bytes === 0) return;
    if (this.statsBeforeWrite && !this.statsBeforeWrite.has(uid)) this.statsBeforeWrite.set(uid, this.stats.get(uid));
    const stats = { ...this.tableStats(uid) };
    stats.itemCount += items;
    stats.sizeBytes += bytes;
    this.stats.set(uid, stats);
    w.put(prefixed(STATS, uid), Buffer.from(JSON.stringify(stats)));
  }

  /**
   * Writes the index entry for one existing item (GSI backfill). Items the index cannot hold (a
   * key of another type or too long, or an entry key past what the store keeps) are left out, as
   * the service's backfill leaves out index key violations.
   */
  stageIndexEntry(w: KvWriter, table: TableHandle, indexName: string, item: Item): void {
    const index = table.index(indexName);
    if (!index) return;
    const indexKey = indexableKey(item, index.shape);
    if (!indexKey) return;
    const storageKey = itemStorageKey(table, item);
    const tableKeyBytes = storageKey.subarray(table.itemPrefix.length + 4);
    const entryKey = indexEntryKey(index, indexKey, tableKeyBytes);
    // Only keys of mostly zero bytes (escaped two for one) get past what LMDB holds.
    if (entryKey.length > MAX_DURABLE_KEY_BYTES) return;
    // A write racing the backfill may have put this entry already: count it once.
    const existing = w.get(entryKey);
    const projected = projectForIndex(item, table, index);
    const size = itemSize(projected);
    w.put(entryKey, encodeItemValue(projected, size));
    this.stageStatsDelta(w, index.record.uid, existing ? 0 : 1, size - (existing ? storedItemSize(existing) : 0));
  }

  /** Item count and bytes of one index, kept in step with every write like the table's. */
  indexStats(uid: number): TableStats {
    return this.tableStats(uid);
  }
}

function sameVectorAndPartition(a: VectorEntry, b: VectorEntry): boolean {
  const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (!bytes(a.vector).equals(bytes(b.vector))) return false;
  if (!a.partition || !b.partition) return a.partition === b.partition;
  return encodeKeyValue(a.partition).equals(encodeKeyValue(b.partition));
}

/** Every key range of a vector index: flat entries, clustered entries of every generation, cluster models. */
function vectorIndexPrefixes(uid: number): Buffer[] {
  return [prefixed(VECTOR_ENTRIES, uid), prefixed(VECTOR_CLUSTERED_ENTRIES, uid), prefixed(VECTOR_CLUSTER_MODELS, uid)];
}

export function namespaceKey(accountId: string, region: string, name: string): string {
  return `${accountId}\u0000${region}\u0000${name}`;
}
