/**
 * Where the in-memory store keeps its values: copied into large off-heap slabs, each value named
 * by a small integer handle. Kept as Buffers, every written value would be a fresh heap object
 * that survives: the young-generation collector copies it and the old generation fills with
 * overwritten ones, which measured as most of a write's p99 latency. A handle is a Smi, which the
 * B-tree stores without any allocation.
 *
 * Slots come in size classes four to a power of two (64, 80, 96, 112, 128, 160, ...), so a value
 * wastes under a quarter of its slot; freed slots are reused by the next value of their class.
 * Reads return copies: a slot may be reused as soon as its value is replaced, and a caller may
 * hold what it read across an await.
 */

/** Slab size, and so the largest value kept here (larger ones stay ordinary Buffers). */
const SLAB_BYTES = 4 * 1024 * 1024;
/** Slot alignment; a handle counts these, so Smi handles cover 32 GB. */
const ALIGN = 16;
/** Each slot starts with the value's length. */
const HEADER = 4;
const MIN_SLOT = 64;

export const MAX_ARENA_VALUE = SLAB_BYTES - HEADER;

/** The slot size for `bytes` (header included): the next of four steps per power of two. */
export function slotSize(bytes: number): number {
  if (bytes <= MIN_SLOT) return MIN_SLOT;
  const power = 31 - Math.clz32(bytes - 1); // 2^power < bytes <= 2^(power+1)
  const step = 2 ** (power - 2); // four steps between 2^power and 2^(power+1)
  return Math.ceil(bytes / step) * step;
}

export class ValueArena {
  private readonly slabs: Buffer[] = [];
  /** Next free byte of the newest slab. */
  private bump = SLAB_BYTES;
  /** Freed handles by slot size. */
  private readonly freeSlots = new Map<number, number[]>();

  /** Copies `value` into a slot and returns the slot's handle. */
  store(value: Buffer): number {
    const size = slotSize(value.length + HEADER);
    const handle = this.freeSlots.get(size)?.pop() ?? this.allocate(size);
    const position = handle * ALIGN;
    const slab = this.slabs[Math.floor(position / SLAB_BYTES)];
    const offset = position % SLAB_BYTES;
    slab.writeUInt32LE(value.length, offset);
    value.copy(slab, offset + HEADER);
    return handle;
  }

  /** A copy of the value in `handle`'s slot. */
  read(handle: number): Buffer {
    const position = handle * ALIGN;
    const slab = this.slabs[Math.floor(position / SLAB_BYTES)];
    const offset = position % SLAB_BYTES;
    const length = slab.readUInt32LE(offset);
    const out = Buffer.allocUnsafe(length);
    slab.copy(out, 0, offset + HEADER, offset + HEADER + length);
    return out;
  }

  /** The value in place, without a copy: valid only until the slot is released and reused. */
  view(handle: number): Buffer {
    const position = handle * ALIGN;
    const slab = this.slabs[Math.floor(position / SLAB_BYTES)];
    const offset = position % SLAB_BYTES;
    return slab.subarray(offset + HEADER, offset + HEADER + slab.readUInt32LE(offset));
  }

  /** Returns the slot to its class's free list; the handle must not be used again. */
  release(handle: number): void {
    const position = handle * ALIGN;
    const length = this.slabs[Math.floor(position / SLAB_BYTES)].readUInt32LE(position % SLAB_BYTES);
    const size = slotSize(length + HEADER);
    let list = this.freeSlots.get(size);
    if (!list) this.freeSlots.set(size, (list = []));
    list.push(handle);
  }

  /** Bytes held in slabs (what the store costs outside the JavaScript heap). */
  get slabBytes(): number {
    return this.slabs.length * SLAB_BYTES;
  }

  clear(): void {
    this.slabs.length = 0;
    this.freeSlots.clear();
    this.bump = SLAB_BYTES;
  }

  private allocate(size: number): number {
    if (this.bump + size > SLAB_BYTES) {
      this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
      this.bump = 0;
    }
    const handle = ((this.slabs.length - 1) * SLAB_BYTES + this.bump) / ALIGN;
    this.bump += size;
    return handle;
  }
}
