/**
 * Where stream data lives in the engine's ordered keyspace (the lead's tables use 0x01-0x11):
 *
 *   0x20 tableUid labelMs seq -> [float64 createdMs][record JSON, exactly as GetRecords returns it]
 *   0x21 tableUid labelMs     -> StreamMeta JSON (shards, status, trim point)
 *   0x22                      -> next sequence number (uint64)
 *
 * A stream is identified by its table's uid and the millisecond of its label, so the records of
 * every stream a table ever had sit apart, and a deleted table's stream stays readable until its
 * records age out. Sequence numbers come from one engine-wide counter: per stream they increase,
 * with gaps where other tables wrote. Shards are ranges of that counter.
 */
import type { KeySchemaElement } from '../types.ts';

export const STREAM_RECORDS = 0x20;
export const STREAM_METAS = 0x21;
export const COUNTER_KEY = Buffer.from([0x22]);

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface ShardMeta {
  ShardId: string;
  ParentShardId?: string;
  /** First sequence number the shard can hold. */
  start: number;
  /** Last sequence number of a closed shard (start - 1 when it closed empty); absent while open. */
  end?: number;
  createdAt: number;
}

/** Everything kept about one stream; the table it belongs to may be gone. */
export interface StreamMeta {
  StreamArn: string;
  StreamLabel: string;
  TableName: string;
  tableUid: number;
  labelMs: number;
  accountId: string;
  region: string;
  KeySchema: KeySchemaElement[];
  StreamViewType: StreamViewType;
  status: 'ENABLED' | 'DISABLED';
  disabledAt?: number;
  shards: ShardMeta[];
  /** Highest sequence number removed by retention (0: nothing trimmed yet). */
  trimmedThrough: number;
}

function writeUint64(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buffer.writeUInt32BE(value >>> 0, offset + 4);
}

function readUint64(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset) * 0x1_0000_0000 + buffer.readUInt32BE(offset + 4);
}

/** tag + tableUid + labelMs: the 13 bytes before a stream's sequence numbers. */
export function streamKeyPrefix(tag: number, tableUid: number, labelMs: number): Buffer {
  const key = Buffer.alloc(13);
  key[0] = tag;
  key.writeUInt32BE(tableUid, 1);
  writeUint64(key, 5, labelMs);
  return key;
}

export function recordKey(streamPrefix: Buffer, seq: number): Buffer {
  const key = Buffer.allocUnsafe(21);
  streamPrefix.copy(key, 0, 0, 13);
  writeUint64(key, 13, seq);
  return key;
}

export function sequenceOfRecordKey(key: Buffer): number {
  return readUint64(key, 13);
}

export function encodeCounter(next: number): Buffer {
  const value = Buffer.allocUnsafe(8);
  writeUint64(value, 0, next);
  return value;
}

export function decodeCounter(value: Buffer): number {
  return readUint64(value, 0);
}

export function encodeRecordValue(createdMs: number, json: string): Buffer {
  const value = Buffer.allocUnsafe(8 + Buffer.byteLength(json));
  value.writeDoubleBE(createdMs, 0);
  value.write(json, 8);
  return value;
}

export function recordCreatedMs(value: Buffer): number {
  return value.readDoubleBE(0);
}

export function recordJson(value: Buffer): string {
  return value.toString('utf8', 8);
}

/**
 * Sequence numbers as the service prints them: decimal strings of 21 digits (the API reference's
 * examples look like "300000000000000499659"). A leading 1 and zero padding keep string order
 * equal to numeric order, so clients that compare them as strings stay right.
 */
export function formatSequenceNumber(seq: number): string {
  return '1' + String(seq).padStart(20, '0');
}

export function parseSequenceNumber(text: string): number | undefined {
  if (!/^1\d{20}$/.test(text)) return undefined;
  const seq = Number(text.slice(1));
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** Epoch milliseconds of a stream label ("2024-05-01T12:00:00.000", UTC without the Z). */
export function labelMillis(label: string): number {
  const ms = Date.parse(label + 'Z');
  return Number.isFinite(ms) ? ms : 0;
}
