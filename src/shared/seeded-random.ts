// Seeded generators for the demo operator and the models: never Math.random, never the clock, so the
// same seed gives the same bytes and the same model.
// `mixKey` turns (seed, subscriber, day, stream) into a 32-bit state, so any subscriber's day can be
// replayed on its own (the signalling pass replays the IVR calls of the business pass this way).

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit key for (seed, a, b, c): each part is mixed in turn, so nearby inputs give unrelated keys. */
export function mixKey(seed: number, a: number, b = 0, c = 0): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ a);
  h = mix32((h + 0x632be5ab) ^ b);
  return mix32((h + 0x7f4a7c15) ^ c);
}

/** A uniform number in [0, 1) from a key, for one-off draws without a generator. */
export function unitOf(key: number): number {
  return mix32(key) / 4294967296;
}

/** mulberry32: one 32-bit word of state, fast, good enough for simulation, reseedable without allocation. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): this {
    this.state = seed >>> 0;
    return this;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [low, high]. */
  between(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson count: Knuth's product method for small means, a rounded normal for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }

  /** Index drawn from cumulative weights (last entry = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const target = this.next() * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (cumulative[i]! <= target) i++;
    return i;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Running sums of weights, for `pickCumulative`. */
export function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/**
 * A generator for model fitting (splits, bagging, initial weights). The seed is mixed first so that
 * the small seeds people type (1, 2, 3) start far apart; the demo generator seeds SeededRandom directly.
 */
export function createSeededRandom(seed: number): SeededRandom {
  return new SeededRandom((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace(values: Int32Array | Uint32Array | number[], random: SeededRandom): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}
