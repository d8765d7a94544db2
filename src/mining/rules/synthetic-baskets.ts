// Seeded synthetic basket sets for tests and benchmarks: a Groceries-like shop (popularity falling
// as a power law, a few product families bought together) of any size.
import { createSeededRandom } from '../../shared/seeded-random.ts';
import { type BasketSet, buildBasketSet } from './basket-set.ts';

export interface SyntheticBasketOptions {
  baskets: number;
  items?: number;
  /** Mean number of items in a basket. */
  meanSize?: number;
  families?: number;
  seed?: number;
}

export function generateSyntheticBaskets(options: SyntheticBasketOptions): BasketSet {
  const random = createSeededRandom(options.seed ?? 1);
  const itemCount = options.items ?? 169;
  const meanSize = options.meanSize ?? 4.9; // ≈ 4.4 items a basket after duplicates, as Groceries
  const familyCount = options.families ?? 40;
  const names = Array.from({ length: itemCount }, (_, i) => `item${String(i).padStart(3, '0')}`);
  // cumulative popularity, power law
  const cumulative = new Float64Array(itemCount);
  let total = 0;
  for (let i = 0; i < itemCount; i++) {
    total += 1 / (i + 3) ** 1.1;
    cumulative[i] = total;
  }
  const pick = (): number => {
    const u = random.next() * total;
    let lo = 0;
    let hi = itemCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const families = Array.from({ length: familyCount }, () => {
    const size = 3 + random.int(4);
    return Array.from({ length: size }, pick);
  });
  function* baskets(): Generator<string[]> {
    for (let b = 0; b < options.baskets; b++) {
      const basket: string[] = [];
      // geometric-like size with the given mean
      let size = 1;
      while (random.next() < 1 - 1 / meanSize) size++;
      if (random.next() < 0.35) {
        const family = families[random.int(familyCount)]!;
        for (const item of family) if (random.next() < 0.6 && basket.length < size) basket.push(names[item]!);
      }
      while (basket.length < size) basket.push(names[pick()]!);
      yield basket;
    }
  }
  return buildBasketSet(baskets());
}
