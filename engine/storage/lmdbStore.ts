import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { KvEntry, KvStore, KvWriter } from './kv.ts';

/**
 * LMDB through lmdb-js. Writes go through `transaction()`, which runs the callback inside one
 * write transaction and batches concurrent callers into a single durable commit, so many small
 * PutItems share one sync.
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
    // lmdb-js commits whatever a batched transaction callback wrote even when it throws, so
    // changes are staged here and applied only once `fn` has returned: all or nothing.
    return db
      .transaction(() => {
        const staged = new Map<string, Buffer | null>();
        const writer: KvWriter = {
          get: (key) => {
            const pending = staged.get(key.toString('latin1'));
            return pending === undefined ? db.get(key) : (pending ?? undefined);
          },
          put: (key, value) => void staged.set(key.toString('latin1'), value),
          remove: (key) => void staged.set(key.toString('latin1'), null),
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
      .then((outcome) => {
        if (outcome.failed) throw outcome.error;
        return outcome.result;
      });
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
