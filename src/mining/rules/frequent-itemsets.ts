// Frequent itemsets as flat typed arrays, and a hash index to find an itemset's count by its items.

export interface FrequentItemsets {
  basketCount: number;
  itemNames: string[];
  /** Item ids of all itemsets back to back; each itemset sorted ascending by id. */
  items: Int32Array;
  /** Itemset k = items[offsets[k] .. offsets[k+1]). */
  offsets: Int32Array;
  counts: Int32Array;
  size: number;
}

export class ItemsetBuilder {
  private items = new Int32Array(4096);
  private offsets = new Int32Array(1024);
  private counts = new Int32Array(1024);
  private used = 0;
  size = 0;

  /** Appends an itemset (ids in any order; stored sorted). */
  add(ids: Int32Array, length: number, count: number): void {
    if (this.used + length > this.items.length) this.items = grow(this.items, this.used + length);
    if (this.size + 2 > this.offsets.length) {
      this.offsets = grow(this.offsets, this.size + 2);
      this.counts = grow(this.counts, this.size + 2);
    }
    const start = this.used;
    const items = this.items;
    for (let k = 0; k < length; k++) {
      // insertion sort while copying: itemsets are short
      const v = ids[k]!;
      let j = start + k;
      while (j > start && items[j - 1]! > v) {
        items[j] = items[j - 1]!;
        j--;
      }
      items[j] = v;
    }
    this.used += length;
    this.counts[this.size] = count;
    this.size++;
    this.offsets[this.size] = this.used;
  }

  finish(basketCount: number, itemNames: string[]): FrequentItemsets {
    return {
      basketCount,
      itemNames,
      items: this.items.slice(0, this.used),
      offsets: this.offsets.slice(0, this.size + 1),
      counts: this.counts.slice(0, this.size),
      size: this.size,
    };
  }
}

function grow(array: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

/** Open-addressing hash from an itemset's (sorted) items to its index. */
export class ItemsetIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly sets: FrequentItemsets) {
    let capacity = 16;
    while (capacity < sets.size * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let k = 0; k < sets.size; k++) {
      const start = sets.offsets[k]!;
      let slot = hashItems(sets.items, start, sets.offsets[k + 1]! - start) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = k;
    }
  }

  /** Index of the itemset ids[0..length) (sorted ascending), or -1. */
  find(ids: Int32Array, length: number): number {
    const { items, offsets } = this.sets;
    let slot = hashItems(ids, 0, length) & this.mask;
    for (;;) {
      const k = this.slots[slot]!;
      if (k === -1) return -1;
      const start = offsets[k]!;
      if (offsets[k + 1]! - start === length) {
        let same = true;
        for (let j = 0; j < length; j++)
          if (items[start + j] !== ids[j]) {
            same = false;
            break;
          }
        if (same) return k;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

function hashItems(items: Int32Array, start: number, length: number): number {
  let h = 0x811c9dc5 ^ length;
  for (let j = 0; j < length; j++) h = Math.imul(h ^ items[start + j]!, 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}
