import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { KvStore } from './kv.ts';
import { LmdbStore } from './lmdbStore.ts';
import { MemoryStore } from './memoryStore.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const backends: [string, () => Promise<KvStore>][] = [
  ['memory', async () => new MemoryStore()],
  [
    'lmdb',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kv-test-'));
      dirs.push(dir);
      return LmdbStore.open(dir);
    },
  ],
];

const b = (s: string) => Buffer.from(s);
const keys = (entries: Iterable<{ key: Buffer }>) => [...entries].map((e) => e.key.toString());

for (const [name, open] of backends) {
  describe(`KvStore contract (${name})`, () => {
    test('range is half-open and ordered bytewise, forwards and backwards', async () => {
      const store = await open();
      await store.write((w) => ['a', 'b', 'b\u0000', 'c', 'd'].forEach((k) => w.put(b(k), b(k))));
      assert.deepEqual(keys(store.range(b('b'), b('d'))), ['b', 'b\u0000', 'c']);
      assert.deepEqual(keys(store.range(b('b'), b('d'), true)), ['c', 'b\u0000', 'b']);
      assert.deepEqual(keys(store.range(b('d'), b('b'))), []);
      await store.close();
    });

    // LMDB stores keys up to 4,026 bytes and lmdb-js throws on longer lookups; reads with longer
    // keys or bounds (a Query on a key no write could store) still answer as the order says.
    test('lookups and range bounds longer than LMDB stores', async () => {
      const store = await open();
      const longest = 'x'.repeat(4026);
      const beside = `${'x'.repeat(4025)}y`;
      const tooLong = 'x'.repeat(5000);
      await store.write((w) => ['w', longest, beside, 'z'].forEach((k) => w.put(b(k), b('v'))));
      assert.equal(store.get(b(tooLong)), undefined);
      assert.ok(store.get(b(longest))?.equals(b('v')));
      assert.deepEqual(keys(store.range(b(tooLong), b('zz'))), [beside, 'z']);
      assert.deepEqual(keys(store.range(b(tooLong), b('zz'), true)), ['z', beside]);
      assert.deepEqual(keys(store.range(b('a'), b(tooLong))), ['w', longest]);
      assert.deepEqual(keys(store.range(b('a'), b(tooLong), true)), [longest, 'w']);
      assert.deepEqual(keys(store.range(b(tooLong), b(`${tooLong}\u0001`))), []);
      // Inside a write too: the lookup finds nothing, removing it removes nothing, and the rest applies.
      await store.write((w) => {
        assert.equal(w.get(b(tooLong)), undefined);
        w.remove(b(tooLong));
        w.put(b('after'), b('v'));
      });
      assert.ok(store.get(b('after'))?.equals(b('v')));
      await store.close();
    });

    test('keeps every value intact through random puts, overwrites and removes of all sizes', async () => {
      const store = await open();
      const model = new Map<string, Buffer>();
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      // Sizes around slot-class edges, up to past the in-memory store's 4 MB slab.
      const sizes = [0, 1, 59, 60, 61, 76, 77, 1020, 1021, 4092, 4093, 65_536, 400 * 1024];
      for (let round = 0; round < 40; round++) {
        await store.write((w) => {
          for (let i = 0; i < 25; i++) {
            const key = `key-${random(60)}`;
            if (random(5) === 0) {
              w.remove(b(key));
              model.delete(key);
            } else {
              const value = Buffer.alloc(sizes[random(sizes.length)], `${round}.${i}|`);
              w.put(b(key), value);
              model.set(key, value);
            }
          }
        });
        const held = [...model.keys()].slice(0, 3).map((key) => [key, store.get(b(key))!] as const);
        for (const [key, value] of model) assert.ok(store.get(b(key))?.equals(value), `value of ${key} after round ${round}`);
        // What was read stays as it was when its slot is reused by later writes.
        await store.write((w) => held.forEach(([key]) => w.put(b(key), Buffer.alloc(100, 'z'))));
        for (const [key, value] of held) {
          assert.ok(value.equals(model.get(key)!), `held copy of ${key}`);
          model.set(key, Buffer.alloc(100, 'z'));
        }
      }
      const big = Buffer.alloc(5 * 1024 * 1024, 'b');
      await store.write((w) => w.put(b('big'), big));
      model.set('big', big);
      const listed = [...store.range(b('a'), b('z'))];
      assert.deepEqual(listed.map((e) => e.key.toString()), [...model.keys()].sort());
      for (const entry of listed) assert.ok(entry.value.equals(model.get(entry.key.toString())!));
      // Transient values read the same while no write intervenes.
      for (const entry of store.range(b('a'), b('z'), false, true, true)) assert.ok(entry.value.equals(model.get(entry.key.toString())!));
      await store.close();
    });

    test('a write that throws leaves nothing behind', async () => {
      const store = await open();
      await store.write((w) => w.put(b('kept'), b('1')));
      await assert.rejects(
        store.write((w) => {
          w.put(b('kept'), b('2'));
          w.put(b('lost'), b('x'));
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(store.get(b('kept'))?.toString(), '1');
      assert.equal(store.get(b('lost')), undefined);
      await store.close();
    });

    test('reads inside a write see its own writes; committed data is visible after', async () => {
      const store = await open();
      const seen = await store.write((w) => {
        w.put(b('k'), b('v'));
        const inside = w.get(b('k'))?.toString();
        w.remove(b('k'));
        return [inside, w.get(b('k'))];
      });
      assert.deepEqual(seen, ['v', undefined]);
      await store.write((w) => w.put(b('k2'), b('v2')));
      assert.equal(store.get(b('k2'))?.toString(), 'v2');
      await store.close();
    });

    test('concurrent writes serialise: read-modify-write never loses an increment', async () => {
      const store = await open();
      await store.write((w) => w.put(b('n'), b('0')));
      await Promise.all(
        Array.from({ length: 200 }, () =>
          store.write((w) => {
            const n = Number(w.get(b('n'))!.toString());
            w.put(b('n'), b(String(n + 1)));
          }),
        ),
      );
      assert.equal(store.get(b('n'))?.toString(), '200');
      await store.close();
    });
  });
}
