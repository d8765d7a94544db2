// Per-subscriber stream state as a struct of arrays keyed by an MSISDN→index table: current cell, the
// geofences the subscriber is inside (with the time each was entered) and the recent behaviour hits
// that rules look back on. About 110 bytes a subscriber; no object per subscriber.
import { NumberTable } from './number-table.ts';

/** Geofences a subscriber can be inside at once (overlapping fences beyond this are ignored). */
export const FENCE_SLOTS = 4;
/** Recent behaviour hits kept per subscriber; the latest hit of each distinct signal survives eviction. */
export const HIT_SLOTS = 8;
export const HIT_WORDS = HIT_SLOTS * 2;
export const FENCE_WORDS = FENCE_SLOTS * 2;
export const UNKNOWN_CODE = 255;

export class SubscriberState {
  readonly index: NumberTable;
  capacity: number;
  count = 0;
  /** Index of the current cell in the cell directory, -1 when unknown. */
  cell: Int32Array;
  /** Event time (s) of the last event seen. */
  lastSeenSec: Uint32Array;
  /** Per subscriber FENCE_SLOTS pairs (geofence id + 1, second entered); id word 0 = empty slot. */
  fences: Uint32Array;
  /** Per subscriber HIT_SLOTS pairs (second, signal + 1) in one 64-byte block; signal word 0 = empty. */
  hits: Uint32Array;
  /** Profile columns for the "who" of rules: brand code (UNKNOWN_CODE when unknown), segment code (0 none), opt-out. */
  brand: Uint8Array;
  segment: Uint16Array;
  optedOut: Uint8Array;
  /** Model scores by model name, NaN when unscored. */
  readonly scores = new Map<string, Float32Array>();

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    this.index = new NumberTable(this.capacity);
    this.cell = new Int32Array(this.capacity).fill(-1);
    this.lastSeenSec = new Uint32Array(this.capacity);
    this.fences = new Uint32Array(this.capacity * FENCE_WORDS);
    this.hits = new Uint32Array(this.capacity * HIT_WORDS);
    this.brand = new Uint8Array(this.capacity).fill(UNKNOWN_CODE);
    this.segment = new Uint16Array(this.capacity);
    this.optedOut = new Uint8Array(this.capacity);
  }

  /** The score column of a model, created (all NaN) on first use. */
  scoreColumn(model: string): Float32Array {
    let column = this.scores.get(model);
    if (!column) {
      column = new Float32Array(this.capacity).fill(Number.NaN);
      this.scores.set(model, column);
    }
    return column;
  }

  /** The models that have a score column. */
  scoreModels(): string[] {
    return [...this.scores.keys()];
  }

  /** The subscriber's index, adding the subscriber when new. */
  indexOf(msisdn: string): number {
    const key = Number(msisdn);
    const found = this.index.get(key);
    if (found >= 0) return found;
    if (this.count === this.capacity) this.grow();
    const at = this.count++;
    this.index.set(key, at);
    return at;
  }

  /** The index of a known subscriber, or -1. */
  find(msisdn: string): number {
    return this.index.get(Number(msisdn));
  }

  /** A reverse table, index → MSISDN, for reports over all subscribers. */
  msisdns(): string[] {
    const out = new Array<string>(this.count);
    this.index.forEach((key, value) => {
      out[value] = String(key).padStart(11, '0');
    });
    return out;
  }

  /** Records a behaviour hit; when full, evicts the oldest hit whose signal has a newer one, else the oldest. */
  addHit(sub: number, signal: number, sec: number): void {
    const hits = this.hits;
    const base = sub * HIT_WORDS;
    for (let w = base; w < base + HIT_WORDS; w += 2) {
      if (hits[w + 1] === 0) {
        hits[w] = sec;
        hits[w + 1] = signal + 1;
        return;
      }
    }
    // Full: evict the oldest hit whose signal has a newer hit, else the oldest; keep time order.
    let evict = base;
    search: for (let i = base; i < base + HIT_WORDS; i += 2) {
      for (let j = i + 2; j < base + HIT_WORDS; j += 2) {
        if (hits[j + 1] === hits[i + 1]) {
          evict = i;
          break search;
        }
      }
    }
    hits.copyWithin(evict, evict + 2, base + HIT_WORDS);
    hits[base + HIT_WORDS - 2] = sec;
    hits[base + HIT_WORDS - 1] = signal + 1;
  }

  /** Hits of `signal` at or after `fromSec` (and not after `toSec`). */
  countHits(sub: number, signal: number, fromSec: number, toSec: number): number {
    const hits = this.hits;
    const base = sub * HIT_WORDS;
    const code = signal + 1;
    let count = 0;
    for (let w = base; w < base + HIT_WORDS; w += 2) {
      const held = hits[w + 1]!;
      if (held === 0) break;
      if (held === code) {
        const at = hits[w]!;
        if (at >= fromSec && at <= toSec) count++;
      }
    }
    return count;
  }

  /** Geofence ids the subscriber is inside now. */
  fencesOf(sub: number): number[] {
    const out: number[] = [];
    for (let w = sub * FENCE_WORDS; w < (sub + 1) * FENCE_WORDS; w += 2)
      if (this.fences[w] !== 0) out.push(this.fences[w]! - 1);
    return out;
  }

  /** Bytes held per tracked subscriber (arrays sized to capacity, index included). */
  get byteLength(): number {
    return (
      this.index.byteLength +
      this.cell.byteLength +
      this.lastSeenSec.byteLength +
      this.fences.byteLength +
      this.hits.byteLength +
      this.brand.byteLength +
      this.segment.byteLength +
      this.optedOut.byteLength +
      [...this.scores.values()].reduce((sum, column) => sum + column.byteLength, 0)
    );
  }

  /** The arrays, for snapshots. */
  arrays(): Record<string, ArrayBufferView> {
    return {
      cell: this.cell.subarray(0, this.count),
      lastSeenSec: this.lastSeenSec.subarray(0, this.count),
      fences: this.fences.subarray(0, this.count * FENCE_WORDS),
      hits: this.hits.subarray(0, this.count * HIT_WORDS),
      brand: this.brand.subarray(0, this.count),
      segment: this.segment.subarray(0, this.count),
      optedOut: this.optedOut.subarray(0, this.count),
    };
  }

  /** Fills an empty state from a snapshot: MSISDN keys in index order, then the arrays of `arrays()` by name. */
  load(msisdnKeys: Float64Array, arrays: Record<string, Uint8Array>): void {
    if (this.count !== 0) throw new Error('load() needs an empty state');
    for (const key of msisdnKeys) this.indexOf(String(key).padStart(11, '0'));
    const targets = this.arrays();
    for (const [name, target] of Object.entries(targets)) {
      const source = arrays[name];
      if (source)
        new Uint8Array(target.buffer, target.byteOffset, Math.min(source.byteLength, target.byteLength)).set(source);
    }
  }

  /** MSISDN keys (numbers) in index order, for snapshots. */
  msisdnKeys(): Float64Array {
    const keys = new Float64Array(this.count);
    this.index.forEach((key, value) => {
      keys[value] = key;
    });
    return keys;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grow = <T extends Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array | Float32Array>(
      old: T,
      make: (n: number) => T,
      per: number,
      fill?: number,
    ): T => {
      const next = make(capacity * per);
      if (fill !== undefined) next.fill(fill);
      next.set(old);
      return next;
    };
    this.cell = grow(this.cell, (n) => new Int32Array(n), 1, -1);
    this.lastSeenSec = grow(this.lastSeenSec, (n) => new Uint32Array(n), 1);
    this.fences = grow(this.fences, (n) => new Uint32Array(n), FENCE_WORDS);
    this.hits = grow(this.hits, (n) => new Uint32Array(n), HIT_WORDS);
    this.brand = grow(this.brand, (n) => new Uint8Array(n), 1, UNKNOWN_CODE);
    this.segment = grow(this.segment, (n) => new Uint16Array(n), 1);
    this.optedOut = grow(this.optedOut, (n) => new Uint8Array(n), 1);
    for (const [model, column] of this.scores)
      this.scores.set(
        model,
        grow(column, (n) => new Float32Array(n), 1, Number.NaN),
      );
    this.capacity = capacity;
  }
}
