// An open-addressing hash table from non-negative integers (exact in a double, e.g. an 11-digit MSISDN)
// to int32 values, held in one typed array of (key, value) pairs so that a lookup touches one cache
// line. A province's subscribers cost ~32 bytes each here, against ~100 for a Map<string, number>,
// and the garbage collector never walks it.

const EMPTY = -1;

export class NumberTable {
  /** key at 2i, value at 2i + 1 */
  private slots: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = newSlots(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** The value stored for `key`, or -1. */
  get(key: number): number {
    const slots = this.slots;
    let slot = hash(key) & this.mask;
    for (;;) {
      const k = slots[2 * slot]!;
      if (k === key) return slots[2 * slot + 1]!;
      if (k === EMPTY) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    let slot = hash(key) & this.mask;
    for (;;) {
      const k = slots[2 * slot]!;
      if (k === key) {
        slots[2 * slot + 1] = value;
        return;
      }
      if (k === EMPTY) {
        slots[2 * slot] = key;
        slots[2 * slot + 1] = value;
        this.count++;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Calls `visit` for every entry (order unspecified). */
  forEach(visit: (key: number, value: number) => void): void {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += 2) if (slots[i] !== EMPTY) visit(slots[i]!, slots[i + 1]!);
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = newSlots(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.set(old[i]!, old[i + 1]!);
  }
}

function newSlots(capacity: number): Float64Array {
  const slots = new Float64Array(capacity * 2);
  for (let i = 0; i < slots.length; i += 2) slots[i] = EMPTY;
  return slots;
}

function hash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
