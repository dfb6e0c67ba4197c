import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_ARENA_VALUE, slotSize, ValueArena } from './valueArena.ts';

describe('value arena', () => {
  test('slot sizes step four times per power of two, aligned to 16 bytes', () => {
    assert.deepEqual(
      [1, 64, 65, 80, 81, 128, 129, 1028, 2049, 4 * 1024 * 1024].map(slotSize),
      [64, 64, 80, 80, 96, 128, 160, 1280, 2560, 4 * 1024 * 1024],
    );
    for (let bytes = 1; bytes < 100_000; bytes += 37) {
      const size = slotSize(bytes);
      assert.ok(size >= bytes && size % 16 === 0 && size < Math.max(64, bytes * 1.25) + 16, `slot ${size} for ${bytes}`);
    }
  });

  test('reuses a released slot for the next value of its class and keeps others intact', () => {
    const arena = new ValueArena();
    const a = arena.store(Buffer.from('a'.repeat(100)));
    const b = arena.store(Buffer.from('b'.repeat(100)));
    arena.release(a);
    const c = arena.store(Buffer.from('c'.repeat(98)));
    assert.equal(c, a);
    assert.equal(arena.read(b).toString(), 'b'.repeat(100));
    assert.equal(arena.read(c).toString(), 'c'.repeat(98));
    assert.equal(arena.view(c).toString(), 'c'.repeat(98), 'a view shows the value in place');
    const copy = arena.read(c);
    arena.release(c);
    assert.equal(arena.store(Buffer.from('d'.repeat(100))), c);
    assert.equal(copy.toString(), 'c'.repeat(98), 'a read is a copy');
  });

  test('spills into new slabs and holds values up to the slab size', () => {
    const arena = new ValueArena();
    const largest = Buffer.alloc(MAX_ARENA_VALUE, 7);
    const handles = [arena.store(largest), arena.store(Buffer.from('after')), arena.store(largest)];
    assert.equal(arena.slabBytes, 3 * 4 * 1024 * 1024);
    assert.ok(arena.read(handles[0]).equals(largest));
    assert.equal(arena.read(handles[1]).toString(), 'after');
    assert.ok(arena.read(handles[2]).equals(largest));
    assert.equal(arena.read(arena.store(Buffer.alloc(0))).length, 0);
  });
});
