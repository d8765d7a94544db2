// A sliding window kept sorted in a typed array: insert and evict by binary search and one
// memmove, so a quantile is a lookup. For windows of a few hundred points this beats a heap pair
// and stays allocation-free on a million-point series.

export class RollingQuantiles {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get count(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.capacity) {
      const old = this.ring[this.head] as number;
      const at = this.indexOf(old);
      this.sorted.copyWithin(at, at + 1, this.size);
      this.size -= 1;
    }
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at + 1, at, this.size);
    this.sorted[at] = value;
    this.size += 1;
  }

  /** Linear-interpolated quantile of the values in the window (q in [0, 1]); NaN when empty. */
  quantile(q: number): number {
    if (this.size === 0) return Number.NaN;
    const pos = q * (this.size - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, this.size - 1);
    const a = this.sorted[lo] as number;
    return a + ((this.sorted[hi] as number) - a) * (pos - lo);
  }

  /** The value of the given rank in the window, 0 the smallest (no bounds check: rank < count). */
  valueAt(rank: number): number {
    return this.sorted[rank] as number;
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(value: number): number {
    return this.lowerBound(value);
  }
}
