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
 *   0x20, 0x21            -> stream records and stream metadata (streams/layout.ts)
 *   0x30, 0x31            -> on-demand backups and their items (operations/backups.ts)
 *   0x32 uid at seq       -> point-in-time recovery's change log (operations/pointInTime.ts)
 *   0x33, 0x34            -> exports to and imports from "S3" (operations/exports.ts, imports.ts)
 *
 * Items are stored as [uint32 item size][item JSON]: GetItem splices the JSON straight into its
 * response, and Query/Scan meter their 1 MB pages from the header without re-measuring.
 */
import { CapacityTracker } from './capacityTracker.ts';
import { CLIENT_REQUEST_TOKEN_WINDOW_MS, ClientRequestTokens } from './clientRequestTokens.ts';
import { DynamoDbError } from './errors.ts';
import { encodeKeyValue, partitionHash, prefixEnd } from './storage/keyCodec.ts';
import type { KvStore, KvWriter } from './storage/kv.ts';
import {
  extractKey,
  keyShapeOf,
  type VectorIndexRecord,
  type IndexRecord,
  type KeyShape,
  type TableRecord,
  type TableStats,
} from './tableModel.ts';
import type { Item } from './types.ts';
import { itemSize } from './values.ts';
import { setOwn } from './ownKeys.ts';
import { encodeVectorEntry, vectorEntryFor, vectorEntrySize, type VectorEntry } from './vectors.ts';

export const CATALOG = 0x01;
export const STATS = 0x02;
export const COUNTER = 0x03;
export const ITEMS = 0x10;
export const INDEX_ENTRIES = 0x11;
export const ITEM_COLLECTIONS = 0x12;
export const VECTOR_ENTRIES = 0x13;
/** Point-in-time recovery's log of previous images (operations/pointInTime.ts); dropped with its table. */
export const POINT_IN_TIME_LOG = 0x32;

function prefixed(tag: number, uid: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = tag;
  b.writeUInt32BE(uid, 1);
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

/** Where one item's entry in a vector index lives: under its HASH partition, if the index has one. */
function vectorEntryKey(index: VectorSpace, entry: VectorEntry, tableKeyBytes: Buffer): Buffer {
  if (!entry.partition) return Buffer.concat([index.prefix, tableKeyBytes]);
  return Buffer.concat([partitionPrefix(index.prefix, encodeKeyValue(entry.partition)), tableKeyBytes]);
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

function indexEntryKey(index: TableHandle['indexes'][number], indexKey: Item, tableKeyBytes: Buffer): Buffer {
  const pk = encodePartition(indexKey, index.shape);
  return Buffer.concat([index.prefix, partitionHash(pk), pk, encodeSort(indexKey, index.shape), tableKeyBytes]);
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
  readonly changeHooks: ChangeHook[] = [];
  /** Consumption per second and partition, and throttling emulation. */
  readonly capacity = new CapacityTracker();
  readonly clientRequestTokens: ClientRequestTokens;

  constructor(
    readonly store: KvStore,
    clientRequestTokenWindowMs = CLIENT_REQUEST_TOKEN_WINDOW_MS,
  ) {
    this.clientRequestTokens = new ClientRequestTokens(store, clientRequestTokenWindowMs);
    this.reload();
  }

  /** Reads the catalog, statistics and uid counter from the store: at start, and after its contents were replaced (a snapshot restored). */
  reload(): void {
    const store = this.store;
    this.tablesByName.clear();
    this.stats.clear();
    this.nextUid = 1;
    for (const { value } of store.range(Buffer.from([CATALOG]), Buffer.from([CATALOG + 1]))) {
      const record = JSON.parse(value.toString('utf8')) as TableRecord;
      this.tablesByName.set(namespaceKey(record.accountId, record.region, record.TableName), new TableHandle(record));
    }
    for (const { key, value } of store.range(Buffer.from([STATS]), Buffer.from([STATS + 1]))) {
      this.stats.set(key.readUInt32BE(1), JSON.parse(value.toString('utf8')) as TableStats);
    }
    const counter = store.get(Buffer.from([COUNTER]));
    if (counter) this.nextUid = counter.readUInt32BE(0);
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
      const prefixes = [handle.itemPrefix, ...handle.indexes.map((i) => i.prefix), ...handle.vectorIndexes.map((i) => i.prefix), prefixed(ITEM_COLLECTIONS, record.uid), prefixed(POINT_IN_TIME_LOG, record.uid)];
      for (const prefix of prefixes) {
        for (const { key } of this.store.range(prefix, prefixEnd(prefix))) w.remove(key);
      }
    });
    this.tablesByName.delete(namespaceKey(record.accountId, record.region, record.TableName));
    this.stats.delete(record.uid);
    for (const index of [...record.indexes, ...(record.vectorIndexes ?? [])]) this.stats.delete(index.uid);
    this.capacity.forget(record.uid);
  }

  /** Removes every entry of one index, and its statistics (after a GSI or vector index is deleted). */
  async dropIndexEntries(indexUid: number, kind: 'secondary' | 'vector' = 'secondary'): Promise<void> {
    const prefix = prefixed(kind === 'vector' ? VECTOR_ENTRIES : INDEX_ENTRIES, indexUid);
    await this.store.write((w) => {
      for (const { key } of this.store.range(prefix, prefixEnd(prefix))) w.remove(key);
      w.remove(prefixed(STATS, indexUid));
    });
    this.stats.delete(indexUid);
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
      const oldKey = oldEntry && vectorEntryKey(index, oldEntry, tableKeyBytes);
      const newKey = newEntry && vectorEntryKey(index, newEntry, tableKeyBytes);
      if (oldKey && (!newKey || !oldKey.equals(newKey))) w.remove(oldKey);
      if (newKey) w.put(newKey, encodeVectorEntry(newEntry!));
      const oldSize = oldEntry ? vectorEntrySize(oldEntry, index.record) : 0;
      const newSize = newEntry ? vectorEntrySize(newEntry, index.record) : 0;
      this.stageStatsDelta(w, index.record.uid, (newEntry ? 1 : 0) - (oldEntry ? 1 : 0), newSize - oldSize);
    }
  }

  /** Writes the vector index entry for one existing item (vector index backfill). */
  stageVectorEntry(w: KvWriter, table: TableHandle, indexName: string, item: Item): void {
    const index = table.vectorIndex(indexName);
    if (!index) return;
    const entry = vectorEntryFor(item, index.record, table.shape, table.record.AttributeDefinitions);
    if (!entry) return;
    const storageKey = itemStorageKey(table, item);
    const entryKey = vectorEntryKey(index, entry, storageKey.subarray(table.itemPrefix.length));
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
    const stats = { ...this.tableStats(uid) };
    stats.itemCount += items;
    stats.sizeBytes += bytes;
    this.stats.set(uid, stats);
    w.put(prefixed(STATS, uid), Buffer.from(JSON.stringify(stats)));
  }

  /** Writes the index entry for one existing item (GSI backfill). */
  stageIndexEntry(w: KvWriter, table: TableHandle, indexName: string, item: Item): void {
    const index = table.index(indexName);
    if (!index) return;
    const indexKey = extractKey(item, index.shape);
    if (!indexKey) return;
    const storageKey = itemStorageKey(table, item);
    const tableKeyBytes = storageKey.subarray(table.itemPrefix.length + 4);
    const entryKey = indexEntryKey(index, indexKey, tableKeyBytes);
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

  /** Restores statistics after a failed write (the store rolled back, memory must follow). */
  forgetStats(uid: number, previous: TableStats): void {
    this.stats.set(uid, previous);
  }
}

export function namespaceKey(accountId: string, region: string, name: string): string {
  return `${accountId}\u0000${region}\u0000${name}`;
}
