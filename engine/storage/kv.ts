import type { StorageStatus } from '../api.ts';
import type { DataDirOwner } from './dataDirLock.ts';

export type { StorageStatus };

/**
 * The narrow seam over storage. Keys are binary and ordered bytewise; values are opaque bytes.
 * Two implementations keep this contract: LMDB (durable) and an in-memory B-tree.
 */
/**
 * The longest key the durable store holds: LMDB's limit with the 8 KB pages lmdbStore uses. The
 * in-memory store holds longer ones; code that must lay data out alike in both stays under this.
 */
export const MAX_DURABLE_KEY_BYTES = 4026;

export interface KvEntry {
  key: Buffer;
  value: Buffer;
}

export interface KvWriter {
  get(key: Buffer): Buffer | undefined;
  put(key: Buffer, value: Buffer): void;
  remove(key: Buffer): void;
}

export interface KvStore {
  /** The committed value at `key`. Sees every write whose `write()` promise has resolved. */
  get(key: Buffer): Buffer | undefined;
  /**
   * Entries with start <= key < end, ascending (or descending with `reverse`). LMDB iterates a
   * snapshot; the in-memory store walks its live tree, so callers finish (or stop) an iteration
   * before writing to the store; they stop early by breaking out of the loop. With `withKeys`
   * false a store may leave `key` empty (callers that read only values save the copies). With
   * `transientValues` a store may yield views of its own memory instead of copies: each is valid
   * only until the next write, for callers that use every value before they return.
   */
  range(start: Buffer, end: Buffer, reverse?: boolean, withKeys?: boolean, transientValues?: boolean): Iterable<KvEntry>;
  /**
   * Runs `fn` exclusively and atomically: no other write interleaves, reads inside see the
   * transaction's own writes, and either every put/remove commits or (when `fn` throws) none does.
   * The promise resolves once the change is durable.
   */
  write<T>(fn: (writer: KvWriter) => T): Promise<T>;
  /** Where the data lives and how big it is, for status lines and the UI. */
  status(): StorageStatus;
  /** A durable store owns its directory: what a refused second process is told about us. */
  describeOwner?(details: Partial<DataDirOwner>): void;
  close(): Promise<void>;
}
