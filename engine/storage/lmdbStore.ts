import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { KvEntry, KvStore, KvWriter } from './kv.ts';

/**
 * LMDB through lmdb-js. Writes go through `transaction()`, which runs the callback inside one
 * write transaction (reads in it see its writes) and batches concurrent callers into a single
 * durable commit, so many small PutItems share one sync.
 */
export class LmdbStore implements KvStore {
  private readonly root: RootDatabase;
  private readonly db: Database<Buffer, Buffer>;

  constructor(path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path, maxDbs: 4, mapSize: 2 * 1024 ** 3, pageSize: 8192 });
    this.db = this.root.openDB<Buffer, Buffer>({ name: 'data', keyEncoding: 'binary', encoding: 'binary' });
  }

  get(key: Buffer): Buffer | undefined {
    return this.db.get(key);
  }

  *range(start: Buffer, end: Buffer, reverse = false): Iterable<KvEntry> {
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
    const db = this.db;
    const writer: KvWriter = {
      get: (key) => db.get(key),
      put: (key, value) => void db.put(key, value),
      remove: (key) => void db.remove(key),
    };
    return db.transaction(() => fn(writer));
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
