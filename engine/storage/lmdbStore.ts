import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { lockDataDir, type DataDirLock, type DataDirOwner } from './dataDirLock.ts';
import { MAX_DURABLE_KEY_BYTES, type KvEntry, type KvStore, type KvWriter, type StorageStatus } from './kv.ts';
import { writeSnapshot, type SnapshotInfo } from './dataDirSnapshots.ts';
import { prefixEnd } from './keyCodec.ts';

/**
 * Address space reserved for the map up front. LMDB maps the whole file; growing the map later
 * makes lmdb-js keep the old mapping beside the new one while readers may still point into it
 * (a 5 GB store held 5 + 10 GB of mappings after one growth). Reserving a large range once avoids
 * growth in practice. It costs no memory or disk: the file grows only as pages are written, and
 * untouched address space is never backed. Windows is left to grow from a small map, since there
 * the file may be extended to the map size.
 */
const MAP_SIZE = process.platform === 'win32' ? 2 * 1024 ** 3 : 256 * 1024 ** 3;

/** A storage failure, naming the data directory and what the user can do about it. */
export class StorageError extends Error {
  constructor(
    readonly dataDir: string,
    what: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const advice =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'Check that this user may write there, or choose another directory with --data-dir.'
        : code === 'ENOSPC' || /No space left|MDB_MAP_FULL/.test(reason)
          ? 'Free some disk space, or choose a directory on another disk with --data-dir.'
          : /longer than LMDB's limit/.test(reason)
            ? 'DynamoDB accepts this key, but the durable store cannot hold it (keys of mostly zero bytes); --in-memory can.'
            : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'A file is in the way: choose a directory with --data-dir.'
            : 'Choose another directory with --data-dir, or use --in-memory.';
    super(`${what} the data directory ${dataDir} failed: ${reason}. ${advice}`, { cause });
  }
}

/**
 * LMDB through lmdb-js. Writes go through `transaction()`, which runs the callback inside one
 * write transaction and batches concurrent callers into a single durable commit, so many small
 * PutItems share one sync.
 */
export class LmdbStore implements KvStore {
  private readonly root: RootDatabase;
  private readonly db: Database<Buffer, Buffer>;
  private readonly maxKeySize: number;

  /**
   * Opens (creating when missing) the store in directory `path`, which this process then owns
   * until close(): a second process is refused with DataDirectoryInUseError.
   */
  static async open(path: string): Promise<LmdbStore> {
    const dataDir = resolve(path);
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new StorageError(dataDir, 'Creating', error);
    }
    const lock = await lockDataDir(dataDir);
    let store: LmdbStore;
    try {
      store = new LmdbStore(dataDir, lock);
    } catch (error) {
      await lock.release();
      throw new StorageError(dataDir, 'Opening', error);
    }
    // `dynamo-lens snapshot create` from another process while this one owns the directory.
    lock.onRequest(async ({ name }) => store.snapshot(name));
    return store;
  }

  private constructor(
    readonly dataDir: string,
    private readonly lock: DataDirLock,
  ) {
    // noSubdir: lmdb-js takes a path with an extension ("./lens.data") for a file by default.
    this.root = open({ path: dataDir, noSubdir: false, maxDbs: 4, mapSize: MAP_SIZE, pageSize: 8192 });
    this.db = this.root.openDB<Buffer, Buffer>({ name: 'data', keyEncoding: 'binary', encoding: 'binary' });
    // Set by lmdb-js from the page size (MAX_DURABLE_KEY_BYTES for 8 KB pages); its typings leave it out.
    this.maxKeySize = (this.db as unknown as { maxKeySize?: number }).maxKeySize ?? MAX_DURABLE_KEY_BYTES;
  }

  get(key: Buffer): Buffer | undefined {
    // No key past LMDB's limit is ever stored (write refuses them), and lmdb-js throws on one.
    if (key.length > this.maxKeySize) return undefined;
    return this.db.get(key);
  }

  *range(start: Buffer, end: Buffer, reverse = false): Iterable<KvEntry> {
    const max = this.maxKeySize;
    if (start.length > max || end.length > max) {
      // Bounds past LMDB's limit (a Query or ExclusiveStartKey on a key no write could store) are
      // cut to it, which lmdb-js accepts; the few stored keys between a cut bound and the bound
      // itself are then left out by comparing with the bounds as given.
      const from = start.length > max ? start.subarray(0, max) : start;
      const to = end.length > max ? prefixEnd(end.subarray(0, max)) : end;
      // Engine keys begin with a tag byte below 0xff, so a cut bound always has an end in range.
      if (to.length > max) throw new Error('A range bound of 0xff bytes past the key limit');
      for (const entry of this.range(from, to, reverse)) {
        if (Buffer.compare(entry.key, start) >= 0 && Buffer.compare(entry.key, end) < 0) yield entry;
      }
      return;
    }
    if (!reverse) {
      yield* this.db.getRange({ start, end });
      return;
    }
    // A reverse range in lmdb-js includes its start and excludes its end; walk down from `end`
    // and apply the half-open [start, end) bounds here.
    for (const entry of this.db.getRange({ start: end, reverse: true })) {
      if (Buffer.compare(entry.key, end) >= 0) continue;
      if (Buffer.compare(entry.key, start) < 0) return;
      yield entry;
    }
  }

  write<T>(fn: (writer: KvWriter) => T): Promise<T> {
    const { db, dataDir, maxKeySize } = this;
    // lmdb-js commits whatever a batched transaction callback wrote even when it throws, so
    // changes are staged here and applied only once `fn` has returned: all or nothing. A key LMDB
    // would refuse is refused as it is staged, so applying them cannot stop halfway (an item
    // stored without its index entry).
    return db
      .transaction(() => {
        const staged = new Map<string, Buffer | null>();
        const writer: KvWriter = {
          get: (key) => {
            // Nothing past LMDB's limit is stored (put refuses it), and lmdb-js throws on such a lookup.
            if (key.length > maxKeySize) return undefined;
            const pending = staged.get(key.toString('latin1'));
            return pending === undefined ? db.get(key) : (pending ?? undefined);
          },
          put: (key, value) => {
            if (key.length > maxKeySize) {
              throw new StorageError(dataDir, 'Writing to', new Error(`a key of ${key.length} bytes is longer than LMDB's limit of ${maxKeySize}`));
            }
            staged.set(key.toString('latin1'), value);
          },
          remove: (key) => {
            // Nothing to remove: no key past the limit is stored, and applying it would throw halfway.
            if (key.length <= maxKeySize) staged.set(key.toString('latin1'), null);
          },
        };
        let result: T;
        try {
          result = fn(writer);
        } catch (error) {
          return { failed: true as const, error };
        }
        for (const [key, value] of staged) {
          if (value === null) db.remove(Buffer.from(key, 'latin1'));
          else db.put(Buffer.from(key, 'latin1'), value);
        }
        return { failed: false as const, result };
      })
      .then(
        (outcome) => {
          if (outcome.failed) throw outcome.error;
          return outcome.result;
        },
        (error: unknown) => {
          throw new StorageError(this.dataDir, 'Writing to', error);
        },
      );
  }

  /**
   * Sizes as LMDB sees them. `livePages` are pages reachable from the trees now; the rest of the
   * file up to `usedPages` is free pages LMDB reuses before it grows the file again.
   */
  status(): StorageStatus {
    const stats = this.root.getStats() as LmdbStats;
    const data = this.db.getStats() as LmdbStats;
    const pages = (s: LmdbStats): number => s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages;
    // Two meta pages, the main tree (names of sub-databases), the freelist tree and ours.
    const livePages = 2 + pages(stats) + pages(stats.free) + pages(data);
    const usedPages = stats.lastPageNumber + 1;
    return {
      kind: 'lmdb',
      dataDir: this.dataDir,
      fileBytes: statSync(join(this.dataDir, 'data.mdb')).size,
      pageSize: stats.pageSize,
      usedPages,
      livePages: Math.min(livePages, usedPages),
      freePages: Math.max(0, usedPages - livePages),
      mapBytes: stats.mapSize,
    };
  }

  /**
   * A consistent copy of the whole store as it is now, taken without stopping writes (LMDB copies
   * from one read transaction), kept as snapshot `name` in the directory's snapshots folder.
   */
  async snapshot(name: string): Promise<SnapshotInfo> {
    return writeSnapshot(this.dataDir, name, (into) => this.root.backup(into, true));
  }

  describeOwner(details: Partial<DataDirOwner>): void {
    this.lock.describe(details);
  }

  async close(): Promise<void> {
    await this.root.close();
    await this.lock.release();
  }
}

/** The subset of lmdb-js's getStats() used by status(). */
interface LmdbStats {
  pageSize: number;
  treeBranchPageCount: number;
  treeLeafPageCount: number;
  overflowPages: number;
  lastPageNumber: number;
  mapSize: number;
  free: LmdbStats;
}
