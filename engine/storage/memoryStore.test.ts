import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryStore } from './memoryStore.ts';

const key = (n: number) => Buffer.from(`k${String(n).padStart(4, '0')}`);
const value = (label: string) => Buffer.from(label.padEnd(100, '.'));
const contents = (store: MemoryStore) => [...store.range(Buffer.from('k'), Buffer.from('l'))].map((e) => `${e.key}=${e.value.toString().replace(/\.+$/, '')}`);

describe('in-memory store snapshots', () => {
  test('a snapshot keeps its values while the live store overwrites, deletes and reuses their slots', async () => {
    const store = new MemoryStore();
    await store.write((w) => {
      for (let i = 0; i < 50; i++) w.put(key(i), value(`v${i}`));
    });
    const snapshot = store.snapshot();
    const before = contents(store);
    // Same-size values: without sharing rules each write would land in the slot just freed.
    for (let round = 0; round < 3; round++) {
      await store.write((w) => {
        for (let i = 0; i < 50; i++) w.put(key(i), value(`round${round}-${i}`));
      });
    }
    await store.write((w) => {
      for (let i = 0; i < 50; i += 2) w.remove(key(i));
    });
    assert.equal(contents(store).length, 25);
    store.restore(snapshot);
    assert.deepEqual(contents(store), before);
    // Restoring again after more writes (which reuse the slots restore() freed) still gives the snapshot.
    await store.write((w) => {
      for (let i = 0; i < 50; i++) w.put(key(i), value(`again${i}`));
    });
    store.restore(snapshot);
    assert.deepEqual(contents(store), before);
    assert.equal(store.get(key(7))?.toString().replace(/\.+$/, ''), 'v7');
  });

  test('the live store is unaffected by restoring, and snapshots do not see each other', async () => {
    const store = new MemoryStore();
    await store.write((w) => w.put(key(1), value('one')));
    const first = store.snapshot();
    await store.write((w) => w.put(key(2), value('two')));
    const second = store.snapshot();
    await store.write((w) => w.put(key(1), value('uno')));
    store.restore(first);
    assert.deepEqual(contents(store), ['k0001=one']);
    store.restore(second);
    assert.deepEqual(contents(store), ['k0001=one', 'k0002=two']);
    store.releaseSnapshot(first);
    store.releaseSnapshot(second);
    await store.write((w) => w.put(key(2), value('dos')));
    assert.deepEqual(contents(store), ['k0001=one', 'k0002=dos']);
  });
});
