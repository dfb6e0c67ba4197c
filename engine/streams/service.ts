/**
 * The streams engine: records every committed item change of a stream-enabled table inside the
 * change's own atomic write (the Database change hook), keeps each stream's shards and status,
 * and runs the periodic work: shard roll-over and retention trimming.
 *
 * The table record is the authority on which stream is enabled (CreateTable/UpdateTable set
 * StreamSpecification and LatestStreamArn). This service follows it: the first write after a
 * stream is enabled creates the stream's metadata in that same write, and `sync()` (run by each
 * Streams API call and each maintenance tick) notices streams that were enabled without writes,
 * and streams that were disabled, replaced or whose table was deleted, and closes them.
 */
import { randomBytes } from 'node:crypto';
import type { Database, ItemChange } from '../database.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import type { KvWriter } from '../storage/kv.ts';
import type { TableRecord } from '../tableModel.ts';
import type { Item } from '../types.ts';
import {
  COUNTER_KEY,
  STREAM_METAS,
  STREAM_RECORDS,
  decodeCounter,
  encodeCounter,
  encodeRecordValue,
  labelMillis,
  recordCreatedMs,
  recordKey,
  sequenceOfRecordKey,
  streamKeyPrefix,
  type ShardMeta,
  type StreamMeta,
  type StreamViewType,
} from './layout.ts';
import { buildRecordJson, itemsEqual } from './records.ts';

export interface StreamsOptions {
  /** How long records are kept (DynamoDB: 24 hours). */
  retentionMs: number;
  /** Age at which an open shard is closed and a child shard opened (DynamoDB: about 4 hours). */
  shardRolloverMs: number;
  /** Records removed per maintenance tick at most, so trimming never stalls requests. */
  trimBatch?: number;
}

/**
 * Sequence numbers are reserved in blocks: the counter stored with a record is the end of the
 * current block, so most writes add no counter update. After a restart numbering resumes at the
 * stored end; the unused rest of a block is simply skipped (sequence numbers may have gaps).
 */
const SEQUENCE_BLOCK = 1024;

/** One stream at run time: its persisted metadata plus what is derived from the records. */
export class StreamState {
  readonly recordPrefix: Buffer;
  readonly metaKey: Buffer;
  /** Highest sequence number written to this stream (0: none). */
  lastSeq = 0;
  /** Set when `meta` changed in memory and must still be written by the next maintenance tick. */
  dirty = true;

  constructor(readonly meta: StreamMeta) {
    this.recordPrefix = streamKeyPrefix(STREAM_RECORDS, meta.tableUid, meta.labelMs);
    this.metaKey = streamKeyPrefix(STREAM_METAS, meta.tableUid, meta.labelMs);
  }

  get openShard(): ShardMeta | undefined {
    const last = this.meta.shards[this.meta.shards.length - 1];
    return last && last.end === undefined ? last : undefined;
  }

  shard(id: string): ShardMeta | undefined {
    return this.meta.shards.find((s) => s.ShardId === id);
  }
}

function newShardId(now: number): string {
  return `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
}

export interface ReadResult {
  /** Stored record values ([createdMs][JSON]) in sequence order. */
  values: Buffer[];
  /** Position after the last record returned (or the requested position when none were). */
  next: number;
}

const ONE_MB = 1024 * 1024;

export class StreamsService {
  /** Every stream still kept, newest last. */
  private readonly streams: StreamState[] = [];
  private readonly byArn = new Map<string, StreamState>();
  /** The enabled stream of each table, by table uid. */
  private readonly active = new Map<number, StreamState>();
  private nextSeq = 1;
  /** First sequence number not covered by the counter stored so far. */
  private reservedUntil = 1;
  /** Streams whose metadata went out with an item write that may yet roll back; sync() checks them. */
  private readonly unconfirmed = new Set<StreamState>();
  private readonly trimBatch: number;

  constructor(
    private readonly db: Database,
    readonly options: StreamsOptions,
  ) {
    this.trimBatch = options.trimBatch ?? 10_000;
    this.reload();
    db.changeHooks.push({
      wants: (table) => (table.StreamSpecification?.StreamEnabled ?? false) && table.LatestStreamArn !== undefined,
      apply: (w, change) => this.record(w, change),
    });
  }

  /** Reads the streams and the sequence counter from the store: at start, and after its contents were replaced (a snapshot restored). */
  reload(): void {
    const db = this.db;
    this.streams.length = 0;
    this.byArn.clear();
    this.active.clear();
    this.unconfirmed.clear();
    this.nextSeq = 1;
    const counter = db.store.get(COUNTER_KEY);
    if (counter) this.nextSeq = Math.max(this.nextSeq, decodeCounter(counter));
    const metaStart = Buffer.from([STREAM_METAS]);
    for (const { value } of db.store.range(metaStart, prefixEnd(metaStart))) {
      const state = new StreamState(JSON.parse(value.toString('utf8')) as StreamMeta);
      state.dirty = false;
      state.lastSeq = this.lastStoredSeq(state);
      this.nextSeq = Math.max(this.nextSeq, state.lastSeq + 1);
      this.register(state);
    }
    this.reservedUntil = this.nextSeq;
  }

  private register(state: StreamState): void {
    this.streams.push(state);
    this.byArn.set(state.meta.StreamArn, state);
    if (state.meta.status === 'ENABLED') this.active.set(state.meta.tableUid, state);
  }

  private lastStoredSeq(state: StreamState): number {
    for (const { key } of this.db.store.range(state.recordPrefix, prefixEnd(state.recordPrefix), true)) {
      return sequenceOfRecordKey(key);
    }
    return 0;
  }

  private firstStoredSeq(state: StreamState): number | undefined {
    for (const { key } of this.db.store.range(state.recordPrefix, prefixEnd(state.recordPrefix))) {
      return sequenceOfRecordKey(key);
    }
    return undefined;
  }

  // The change hook ----------------------------------------------------------------------------

  /** Runs inside every item write: appends the change's record to the table's enabled stream. */
  private record(w: KvWriter, change: ItemChange): void {
    const table = change.table;
    if (!table.StreamSpecification?.StreamEnabled || !table.LatestStreamArn) return;
    const { newItem } = change;
    // A write that leaves the item exactly as it was is not a change: the service emits nothing.
    // Identical stored JSON settles it at once; JSON of another length cannot hold equal values
    // (numbers and binaries are stored normalised); only same-length texts are compared by value
    // (set order, attribute order).
    if (change.oldExisted && newItem && change.oldJson !== undefined && change.newJson !== undefined) {
      if (change.oldJson === change.newJson) return;
      if (
        change.oldJson.length === change.newJson.length &&
        characterSum(change.oldJson) === characterSum(change.newJson) &&
        itemsEqual(change.oldItem ?? (JSON.parse(change.oldJson) as Item), newItem)
      ) {
        return;
      }
    }
    const stream = this.streamForWrite(w, table);
    if (!stream) return;
    const seq = this.nextSeq++;
    const createdMs = Date.now();
    const json = buildRecordJson({
      seq,
      createdMs,
      region: table.region,
      viewType: stream.meta.StreamViewType,
      keys: orderedKeys(table, change.key),
      oldExisted: change.oldExisted,
      oldItem: change.oldItem,
      newItem,
      oldJson: change.oldJson,
      newJson: change.newJson,
      oldSize: change.oldSize,
      newSize: change.newSize,
      byTtl: change.byTtl ?? false,
    });
    w.put(recordKey(stream.recordPrefix, seq), encodeRecordValue(createdMs, json));
    if (this.nextSeq > this.reservedUntil) {
      this.reservedUntil = this.nextSeq + SEQUENCE_BLOCK;
      w.put(COUNTER_KEY, encodeCounter(this.reservedUntil));
    }
    stream.lastSeq = seq;
  }

  /**
   * The stream a write to `table` goes to, created in the same write when this is the first
   * change since the stream was enabled. Undefined for a write that still carries the table's
   * definition from before its stream was replaced (the newer stream is already open): that
   * change raced the UpdateTable and belongs to no open stream.
   */
  private streamForWrite(w: KvWriter, table: TableRecord): StreamState | undefined {
    const arn = table.LatestStreamArn!;
    let stream = this.active.get(table.uid);
    if (stream && stream.meta.StreamArn === arn) {
      if (stream.dirty) this.stageDirty(w, stream);
      return stream;
    }
    const labelMs = labelMillis(table.LatestStreamLabel ?? '');
    if (stream && stream.meta.labelMs >= labelMs) return undefined;
    if (this.byArn.get(arn)?.meta.tableUid === table.uid) return undefined;
    if (stream) {
      this.close(stream, Date.now());
      this.stageDirty(w, stream);
    }
    stream = this.open(table, Date.now());
    this.stageDirty(w, stream);
    return stream;
  }

  /**
   * Writes changed metadata with the record that needs it. That write may still roll back, so
   * the stream is remembered until sync() has seen its metadata committed.
   */
  private stageDirty(w: KvWriter, stream: StreamState): void {
    w.put(stream.metaKey, Buffer.from(JSON.stringify(stream.meta)));
    stream.dirty = false;
    this.unconfirmed.add(stream);
  }

  private open(
    table: TableRecord,
    now: number,
    start = this.nextSeq,
    viewType = table.StreamSpecification!.StreamViewType as StreamViewType,
  ): StreamState {
    const label = table.LatestStreamLabel!;
    const state = new StreamState({
      StreamArn: table.LatestStreamArn!,
      StreamLabel: label,
      TableName: table.TableName,
      tableUid: table.uid,
      labelMs: labelMillis(label),
      accountId: table.accountId,
      region: table.region,
      KeySchema: table.KeySchema,
      StreamViewType: viewType,
      status: 'ENABLED',
      shards: [{ ShardId: newShardId(now), start, createdAt: now }],
      trimmedThrough: 0,
    });
    this.register(state);
    return state;
  }

  /** Marks a stream DISABLED and closes its open shard after every record written so far. */
  private close(stream: StreamState, now: number): void {
    stream.meta.status = 'DISABLED';
    stream.meta.disabledAt = now;
    const open = stream.openShard;
    if (open) open.end = this.nextSeq - 1;
    if (this.active.get(stream.meta.tableUid) === stream) this.active.delete(stream.meta.tableUid);
    stream.dirty = true;
  }

  // Following the catalog ----------------------------------------------------------------------

  /**
   * Brings streams in line with the table catalog: opens streams enabled since the last write,
   * closes streams whose table disabled or replaced them or was deleted, and persists metadata
   * changed in memory.
   */
  async sync(): Promise<void> {
    const now = Date.now();
    const enabled = new Map<number, TableRecord>();
    for (const table of this.db.tables()) {
      const r = table.record;
      if (r.StreamSpecification?.StreamEnabled && r.LatestStreamArn) enabled.set(r.uid, r);
      else if (r.LatestStreamArn && r.StreamSpecification && this.byArn.get(r.LatestStreamArn)?.meta.tableUid !== r.uid) {
        // Enabled and disabled again before any write or sync saw it: it still existed, as DISABLED.
        this.close(this.open(r, now, this.nextSeq, r.StreamSpecification.StreamViewType ?? 'KEYS_ONLY'), now);
      }
    }
    for (const stream of [...this.active.values()]) {
      const table = enabled.get(stream.meta.tableUid);
      if (!table || table.LatestStreamArn !== stream.meta.StreamArn) this.close(stream, now);
    }
    for (const table of enabled.values()) {
      if (this.active.get(table.uid)?.meta.StreamArn === table.LatestStreamArn) continue;
      if (this.byArn.get(table.LatestStreamArn!)?.meta.tableUid === table.uid) continue;
      const state = this.open(table, now);
      // Records a rolled-back first write could not register belong to this stream too.
      const first = this.firstStoredSeq(state);
      if (first !== undefined) state.meta.shards[0].start = Math.min(first, state.meta.shards[0].start);
    }
    await this.persistDirty();
  }

  private async persistDirty(): Promise<void> {
    for (const stream of this.unconfirmed) {
      const committed = this.db.store.get(stream.metaKey);
      if (!committed || committed.toString('utf8') !== JSON.stringify(stream.meta)) stream.dirty = true;
    }
    this.unconfirmed.clear();
    const dirty = this.streams.filter((s) => s.dirty);
    if (dirty.length === 0) return;
    await this.db.store.write((w) => {
      for (const stream of dirty) w.put(stream.metaKey, Buffer.from(JSON.stringify(stream.meta)));
    });
    for (const stream of dirty) stream.dirty = false;
  }

  // Periodic work ------------------------------------------------------------------------------

  /** One maintenance pass: follow the catalog, roll over old shards, trim expired records. */
  async maintain(now = Date.now()): Promise<void> {
    await this.rollover(now, false);
    await this.trim(now);
  }

  /**
   * Closes each enabled stream's open shard once it is older than the roll-over age (or at once
   * with `force`; only `onlyStreamArn` when given) and opens a child shard. Shards that never
   * received a record are left open.
   */
  async rollover(now = Date.now(), force = true, onlyStreamArn?: string): Promise<number> {
    await this.sync();
    const due = [...this.active.values()].filter((s) => {
      if (onlyStreamArn !== undefined && s.meta.StreamArn !== onlyStreamArn) return false;
      const open = s.openShard;
      return open && s.lastSeq >= open.start && (force || now - open.createdAt >= this.options.shardRolloverMs);
    });
    if (due.length === 0) return 0;
    await this.db.store.write((w) => {
      // Inside the write no item change can interleave: nextSeq - 1 is the last record written.
      for (const stream of due) {
        const open = stream.openShard;
        if (!open) continue;
        open.end = this.nextSeq - 1;
        stream.meta.shards.push({ ShardId: newShardId(now), ParentShardId: open.ShardId, start: this.nextSeq, createdAt: now });
        w.put(stream.metaKey, Buffer.from(JSON.stringify(stream.meta)));
      }
    });
    for (const stream of due) {
      stream.dirty = false;
      this.unconfirmed.delete(stream);
    }
    return due.length;
  }

  /**
   * Removes records older than the retention period (at most `trimBatch` per call, oldest
   * first), forgets closed shards left empty, and drops disabled streams with nothing left.
   */
  async trim(now = Date.now()): Promise<number> {
    const cutoff = now - this.options.retentionMs;
    let budget = this.trimBatch;
    let removed = 0;
    for (const stream of [...this.streams]) {
      if (budget <= 0) break;
      const expired: Buffer[] = [];
      for (const { key, value } of this.db.store.range(stream.recordPrefix, prefixEnd(stream.recordPrefix))) {
        if (recordCreatedMs(value) >= cutoff || expired.length >= budget) break;
        expired.push(key);
      }
      budget -= expired.length;
      removed += expired.length;
      const meta = stream.meta;
      const trimmedThrough = expired.length > 0 ? sequenceOfRecordKey(expired[expired.length - 1]) : meta.trimmedThrough;
      const firstLeft = expired.length > 0 ? this.firstSeqAfter(stream, trimmedThrough) : this.firstStoredSeq(stream);
      // A closed shard whose records are all gone, and which is itself past retention, is forgotten.
      const shards = meta.shards.filter(
        (s) => s.end === undefined || s.createdAt >= cutoff || (firstLeft !== undefined && firstLeft <= s.end),
      );
      const forget = meta.status === 'DISABLED' && (meta.disabledAt ?? 0) < cutoff && firstLeft === undefined;
      if (expired.length === 0 && shards.length === meta.shards.length && !forget) continue;
      await this.db.store.write((w) => {
        for (const key of expired) w.remove(key);
        if (forget) {
          w.remove(stream.metaKey);
          return;
        }
        meta.trimmedThrough = trimmedThrough;
        meta.shards = shards;
        w.put(stream.metaKey, Buffer.from(JSON.stringify(meta)));
      });
      stream.dirty = false;
      if (forget) this.forget(stream);
    }
    return removed;
  }

  private firstSeqAfter(stream: StreamState, seq: number): number | undefined {
    for (const { key } of this.db.store.range(recordKey(stream.recordPrefix, seq + 1), prefixEnd(stream.recordPrefix))) {
      return sequenceOfRecordKey(key);
    }
    return undefined;
  }

  private forget(stream: StreamState): void {
    this.streams.splice(this.streams.indexOf(stream), 1);
    if (this.byArn.get(stream.meta.StreamArn) === stream) this.byArn.delete(stream.meta.StreamArn);
  }

  // Reading ------------------------------------------------------------------------------------

  stream(arn: string): StreamState | undefined {
    return this.byArn.get(arn);
  }

  /** Streams of one namespace, ordered by table name and then label (oldest first). */
  list(accountId: string, region: string): StreamState[] {
    return this.streams
      .filter((s) => s.meta.accountId === accountId && s.meta.region === region)
      .sort((a, b) => (a.meta.TableName < b.meta.TableName ? -1 : a.meta.TableName > b.meta.TableName ? 1 : a.meta.labelMs - b.meta.labelMs));
  }

  /** The position a LATEST iterator starts at: just after the last record the shard can see. */
  latestPosition(shard: ShardMeta): number {
    return shard.end !== undefined ? shard.end + 1 : this.nextSeq;
  }

  /** Records of `shard` from position `from`, up to `limit` records or 1 MB. */
  read(stream: StreamState, shard: ShardMeta, from: number, limit: number): ReadResult {
    const end = shard.end !== undefined ? recordKey(stream.recordPrefix, shard.end + 1) : prefixEnd(stream.recordPrefix);
    const start = recordKey(stream.recordPrefix, from);
    const values: Buffer[] = [];
    let next = from;
    let bytes = 0;
    if (Buffer.compare(start, end) >= 0) return { values, next };
    for (const { key, value } of this.db.store.range(start, end)) {
      if (values.length >= limit || (values.length > 0 && bytes + value.length > ONE_MB)) break;
      values.push(value);
      bytes += value.length;
      next = sequenceOfRecordKey(key) + 1;
    }
    return { values, next };
  }
}

/** The item's key attributes in key-schema order (partition key first), as the service lists them. */
/**
 * An order-insensitive checksum of a text: reordering attributes or set members keeps the sum, so
 * texts whose sums differ cannot hold equal items and skip the value comparison.
 */
function characterSum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
  return sum;
}

function orderedKeys(table: TableRecord, key: Item): Item {
  const keys: Item = {};
  for (const element of table.KeySchema) {
    const value = key[element.AttributeName];
    if (value !== undefined) keys[element.AttributeName] = value;
  }
  return keys;
}

/** One StreamsService per database, found by the operations through their context's `db`. */
const services = new WeakMap<Database, StreamsService>();

export function installStreams(db: Database, options: StreamsOptions): StreamsService {
  const service = new StreamsService(db, options);
  services.set(db, service);
  return service;
}

export function streamsOf(db: Database): StreamsService | undefined {
  return services.get(db);
}
