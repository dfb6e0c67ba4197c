import { createRequire } from 'node:module';
import type { KvEntry, KvStore, KvWriter, StorageStatus } from './kv.ts';
import { MAX_ARENA_VALUE, ValueArena } from './valueArena.ts';

// sorted-btree is CommonJS whose typings declare an ES default export; load it through require
// and describe the few methods used here.
interface SortedTree<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): boolean;
  delete(key: K): boolean;
  clear(): void;
  entries(lowestKey?: K): IterableIterator<[K, V]>;
  entriesReversed(highestKey?: K): IterableIterator<[K, V]>;
  /** O(1): the copies share nodes until either is changed (copy on write). */
  clone(): SortedTree<K, V>;
  readonly size: number;
}
const BTree = (createRequire(import.meta.url)('sorted-btree') as { default: new <K, V>() => SortedTree<K, V> }).default;

/**
 * Keys are held as latin1 strings: one char per byte, so JavaScript's string order is exactly
 * bytewise order and the B-tree needs no custom comparator.
 */
const toKey = (key: Buffer): string => key.toString('latin1');
const fromKey = (key: string): Buffer => Buffer.from(key, 'latin1');
const NO_KEY = Buffer.alloc(0);

/**
 * The B-tree maps keys to arena handles (values up to 4 MB, i.e. all of them in practice) or, for
 * anything larger, to the Buffer itself.
 */
type Stored = number | Buffer;

/** A point-in-time copy of a MemoryStore, for restore(); opaque to callers. */
export class MemorySnapshot {
  constructor(readonly tree: SortedTree<string, Stored>) {}
}

export class MemoryStore implements KvStore {
  private tree = new BTree<string, Stored>();
  private readonly arena = new ValueArena();
  /**
   * Snapshots share arena slots with the live tree (a B-tree clone copies no values), so a slot
   * may be freed only when no snapshot can hold it. Slots written since the newest snapshot are
   * the live tree's alone: they are tracked here and freed as usual when replaced, and all of
   * them at once when restore() discards the tree they are in. Older slots stay put when the
   * live tree lets go of them. `undefined` while no snapshot is kept: every slot is then the
   * live tree's alone. (Slots replaced while a snapshot was kept are not reclaimed after the
   * last snapshot is released; a test suite's pattern, seed-snapshot-then-restore, makes none.)
   */
  private unshared: Set<number> | undefined;
  private keptSnapshots = 0;

  /** A copy of a stored value, whether it lives in the arena or (over 4 MB) as its own Buffer. */
  private load(stored: Stored): Buffer {
    return typeof stored === 'number' ? this.arena.read(stored) : Buffer.from(stored);
  }

  get(key: Buffer): Buffer | undefined {
    const stored = this.tree.get(toKey(key));
    return stored === undefined ? undefined : this.load(stored);
  }

  *range(start: Buffer, end: Buffer, reverse = false, withKeys = true, transientValues = false): Iterable<KvEntry> {
    const load = transientValues ? (stored: Stored) => (typeof stored === 'number' ? this.arena.view(stored) : stored) : (stored: Stored) => this.load(stored);
    const low = toKey(start);
    const high = toKey(end);
    if (low >= high) return;
    if (!reverse) {
      for (const [key, value] of this.tree.entries(low)) {
        if (key >= high) return;
        yield { key: withKeys ? fromKey(key) : NO_KEY, value: load(value) };
      }
    } else {
      // entriesReversed(high) includes `high` itself when present; the range is half-open.
      for (const [key, value] of this.tree.entriesReversed(high)) {
        if (key >= high) continue;
        if (key < low) return;
        yield { key: withKeys ? fromKey(key) : NO_KEY, value: load(value) };
      }
    }
  }

  /** A consistent copy of everything stored now, in O(1); later writes do not show in it. */
  snapshot(): MemorySnapshot {
    this.keptSnapshots++;
    this.unshared = new Set();
    return new MemorySnapshot(this.tree.clone());
  }

  /** Makes the store's contents those of `snapshot` (which stays usable for further restores). */
  restore(snapshot: MemorySnapshot): void {
    for (const handle of this.unshared ?? []) this.arena.release(handle);
    this.unshared = this.keptSnapshots > 0 ? new Set() : undefined;
    this.tree = snapshot.tree.clone();
  }

  /** Says a snapshot will not be restored again; with none left, slots are freed as before. */
  releaseSnapshot(_snapshot: MemorySnapshot): void {
    if (--this.keptSnapshots === 0) this.unshared = undefined;
  }

  private storeValue(value: Buffer): Stored {
    if (value.length > MAX_ARENA_VALUE) return value;
    const handle = this.arena.store(value);
    this.unshared?.add(handle);
    return handle;
  }

  private releaseValue(handle: number): void {
    if (this.unshared === undefined || this.unshared.delete(handle)) this.arena.release(handle);
  }

  write<T>(fn: (writer: KvWriter) => T): Promise<T> {
    const pending = new Map<string, Buffer | null>();
    const writer: KvWriter = {
      get: (key) => {
        const k = toKey(key);
        const staged = pending.get(k);
        if (staged !== undefined) return staged ?? undefined;
        const stored = this.tree.get(k);
        return stored === undefined ? undefined : this.load(stored);
      },
      put: (key, value) => void pending.set(toKey(key), value),
      remove: (key) => void pending.set(toKey(key), null),
    };
    try {
      const result = fn(writer);
      // Every new value is copied into the arena before the tree changes, so a failed allocation
      // leaves the store as it was: all or nothing.
      const stored = new Map<string, Stored | null>();
      try {
        for (const [key, value] of pending) stored.set(key, value === null ? null : this.storeValue(value));
      } catch (error) {
        for (const handle of stored.values()) if (typeof handle === 'number') this.releaseValue(handle);
        throw error;
      }
      for (const [key, value] of stored) {
        const previous = this.tree.get(key);
        if (value === null) this.tree.delete(key);
        else this.tree.set(key, value);
        // Freed only after the new value is in: the replaced slot may take the next write.
        if (typeof previous === 'number') this.releaseValue(previous);
      }
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  status(): StorageStatus {
    return { kind: 'memory', entries: this.tree.size, valueBytes: this.arena.slabBytes };
  }

  async close(): Promise<void> {
    this.tree.clear();
    this.arena.clear();
    this.unshared = undefined;
  }
}
