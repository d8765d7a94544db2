// Basket sets in the shape of the FIMI benchmark files, for tests and benchmarks when the real files
// are not at hand (they are not on the build machines). Look-alikes in size and shape, not copies:
// counts of frequent itemsets and rules differ from the real files'.
//  - generateQuestBaskets: the IBM Quest generator (Agrawal and Srikant, VLDB 1994) behind
//    T10I4D100K: transactions built from weighted, corrupted "potentially large itemsets".
//  - generateRetailLikeBaskets: a heavy-tailed shop like the Belgian retail file (88,162 baskets over
//    16,470 items, two items in half of the baskets, three more in a sixth, most items in a handful).
import { createSeededRandom, type SeededRandom } from '../../shared/seeded-random.ts';
import type { BasketSet } from './basket-set.ts';

export interface QuestOptions {
  /** D: number of transactions (T10I4D100K: 100,000). */
  transactions: number;
  /** N: number of items (1,000). */
  items: number;
  /** T: mean transaction size (10). */
  meanTransactionSize: number;
  /** I: mean size of a potentially large itemset (4). */
  meanPatternSize: number;
  /** L: number of potentially large itemsets (2,000). */
  patterns: number;
  /** Mean share of a pattern's items taken from the previous pattern (0.5). */
  correlation?: number;
  seed?: number;
}

export function generateQuestBaskets(options: QuestOptions): BasketSet {
  const random = createSeededRandom(options.seed ?? 1);
  const correlation = options.correlation ?? 0.5;
  const patterns: Int32Array[] = [];
  const weights = new Float64Array(options.patterns);
  const corruption = new Float64Array(options.patterns);
  let previous = new Int32Array(0);
  let totalWeight = 0;
  for (let p = 0; p < options.patterns; p++) {
    const size = Math.min(options.items, Math.max(1, poisson(random, options.meanPatternSize)));
    const chosen = new Set<number>();
    const fromPrevious = Math.min(previous.length, size, Math.round(exponential(random, correlation) * size));
    while (chosen.size < fromPrevious) chosen.add(previous[random.int(previous.length)]!);
    while (chosen.size < size) chosen.add(random.int(options.items));
    previous = Int32Array.from(chosen);
    patterns.push(previous);
    totalWeight += weights[p] = exponential(random, 1);
    corruption[p] = Math.min(1, Math.max(0, 0.5 + 0.1 * random.normal()));
  }
  const cumulative = new Float64Array(options.patterns);
  let sum = 0;
  for (let p = 0; p < options.patterns; p++) cumulative[p] = sum += weights[p]! / totalWeight;
  const builder = new IdBasketBuilder(options.items);
  let pending = -1; // a pattern that did not fit, carried to the next transaction
  for (let t = 0; t < options.transactions; t++) {
    const size = Math.max(1, poisson(random, options.meanTransactionSize));
    while (builder.currentSize < size) {
      const p = pending >= 0 ? pending : pickCumulative(cumulative, random.next());
      pending = -1;
      const pattern = patterns[p]!;
      // drop items from the pattern while a uniform draw stays under its corruption level
      let keep = pattern.length;
      while (keep > 0 && random.next() < corruption[p]!) keep--;
      if (builder.currentSize + keep > size && builder.currentSize > 0 && random.next() < 0.5) {
        pending = p;
        break;
      }
      for (let k = 0; k < keep; k++) builder.add(pattern[(k + t) % pattern.length]!);
      if (keep === 0) builder.add(pattern[random.int(pattern.length)]!);
    }
    builder.endBasket();
  }
  return builder.finish();
}

export interface RetailLikeOptions {
  baskets: number;
  items: number;
  /** Mean basket size before duplicates are removed. */
  meanSize?: number;
  /** Share of baskets holding each of the few staple items (retail: 57 %, 48 %, 18 %, 17 %, 17 %). */
  staples?: readonly number[];
  /** The other items' popularity falls as 1 / (rank + offset); a larger offset is a flatter head. */
  popularityOffset?: number;
  /** Groups of items bought together. */
  families?: number;
  seed?: number;
}

export function generateRetailLikeBaskets(options: RetailLikeOptions): BasketSet {
  const random = createSeededRandom(options.seed ?? 1);
  const meanSize = options.meanSize ?? 10.3;
  const staples = options.staples ?? [0.57, 0.48, 0.177, 0.172, 0.17];
  const offset = options.popularityOffset ?? 20;
  const cumulative = new Float64Array(options.items);
  let total = 0;
  // ranks 0..staples-1 are the staples, drawn on their own below
  for (let i = 0; i < options.items; i++) cumulative[i] = total += i < staples.length ? 0 : 1 / (i + offset);
  for (let i = 0; i < options.items; i++) cumulative[i]! /= total;
  // ids are shuffled so that an item's id says nothing of its popularity, as in the real file
  const idOfRank = Int32Array.from({ length: options.items }, (_, i) => i);
  for (let i = options.items - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [idOfRank[i], idOfRank[j]] = [idOfRank[j]!, idOfRank[i]!];
  }
  const families = Array.from({ length: options.families ?? 400 }, () =>
    Int32Array.from({ length: 2 + random.int(4) }, () => pickCumulative(cumulative, random.next() * 0.5 + 0.2)),
  );
  const builder = new IdBasketBuilder(options.items);
  for (let b = 0; b < options.baskets; b++) {
    // heavy-tailed size: exponential, rounded up, at most 76 items (the real file's longest basket)
    const size = Math.min(76, Math.max(1, Math.ceil(exponential(random, meanSize - 0.5))));
    for (let s = 0; s < staples.length; s++) if (random.next() < staples[s]!) builder.add(idOfRank[s]!);
    if (random.next() < 0.2) {
      const family = families[random.int(families.length)]!;
      for (const rank of family) if (random.next() < 0.7) builder.add(idOfRank[rank]!);
    }
    for (let tries = 0; builder.currentSize < size && tries < size * 4; tries++)
      builder.add(idOfRank[pickCumulative(cumulative, random.next())]!);
    builder.endBasket();
  }
  return builder.finish();
}

/** Basket set of integer item ids 0..items-1, each named by its number (as in a FIMI file). */
class IdBasketBuilder {
  private items = new Int32Array(1 << 16);
  private offsets = new Int32Array(1 << 12);
  private used = 0;
  private basketCount = 0;
  private readonly inBasket: Int32Array;

  constructor(private readonly itemCount: number) {
    this.inBasket = new Int32Array(itemCount).fill(-1);
  }

  get currentSize(): number {
    return this.used - this.offsets[this.basketCount]!;
  }

  add(id: number): void {
    if (this.inBasket[id] === this.basketCount) return;
    this.inBasket[id] = this.basketCount;
    if (this.used === this.items.length) this.items = grow(this.items);
    this.items[this.used++] = id;
  }

  endBasket(): void {
    this.basketCount++;
    if (this.basketCount + 1 >= this.offsets.length) this.offsets = grow(this.offsets);
    this.offsets[this.basketCount] = this.used;
  }

  finish(): BasketSet {
    return {
      itemNames: Array.from({ length: this.itemCount }, (_, i) => String(i)),
      items: this.items.slice(0, this.used),
      offsets: this.offsets.slice(0, this.basketCount + 1),
      basketCount: this.basketCount,
    };
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function pickCumulative(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function exponential(random: SeededRandom, mean: number): number {
  return -Math.log(1 - random.next()) * mean;
}

/** Knuth's method; the means here are small (≤ 30). */
function poisson(random: SeededRandom, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}
