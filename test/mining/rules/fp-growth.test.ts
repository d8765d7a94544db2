import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildBasketSet,
  deriveRules,
  findFrequentItemsets,
  type FrequentItemsets,
  mineAssociationRules,
  minCountForSupport,
  parseBasketText,
} from '../../../src/mining/rules/index.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';

function randomBaskets(seed: number, baskets: number, items: number): string[][] {
  const random = createSeededRandom(seed);
  const weights = Array.from({ length: items }, (_, i) => 0.6 / (1 + i * 0.4));
  return Array.from({ length: baskets }, () => {
    const basket: string[] = [];
    for (let i = 0; i < items; i++) if (random.next() < weights[i]!) basket.push(`i${i}`);
    // correlated pair
    if (basket.includes('i1') && random.next() < 0.7 && !basket.includes('i7')) basket.push('i7');
    return basket;
  });
}

/** Every subset of the item universe with its count, by enumeration. */
function bruteForceCounts(baskets: string[][], items: number, minCount: number, maxLength = 99): Map<string, number> {
  const result = new Map<string, number>();
  const masks = baskets.map((b) => b.reduce((m, name) => m | (1 << Number(name.slice(1))), 0));
  for (let subset = 1; subset < 1 << items; subset++) {
    const size = subset.toString(2).replace(/0/g, '').length;
    if (size > maxLength) continue;
    let count = 0;
    for (const m of masks) if ((m & subset) === subset) count++;
    if (count < minCount) continue;
    const names: string[] = [];
    for (let i = 0; i < items; i++) if (subset & (1 << i)) names.push(`i${i}`);
    result.set(names.sort().join(','), count);
  }
  return result;
}

function asMap(sets: FrequentItemsets): Map<string, number> {
  const result = new Map<string, number>();
  for (let k = 0; k < sets.size; k++) {
    const names = Array.from(sets.items.subarray(sets.offsets[k], sets.offsets[k + 1]), (id) => sets.itemNames[id]!);
    result.set(names.sort().join(','), sets.counts[k]!);
  }
  return result;
}

describe('FP-growth', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`finds the same itemsets with the same counts as brute force (seed ${seed})`, () => {
      const items = 11;
      const baskets = randomBaskets(seed, 150 + seed * 40, items);
      const minCount = 2 + seed;
      const found = asMap(findFrequentItemsets(buildBasketSet(baskets), { minCount }));
      const expected = bruteForceCounts(baskets, items, minCount);
      assert.equal(found.size, expected.size);
      assert.deepEqual([...found.entries()].sort(), [...expected.entries()].sort());
    });
  }

  // The threshold itself: itemsets of every length sit exactly at the minimum count (kept) and one below
  // it (dropped), in random baskets and through a relative support that must become that count exactly.
  for (const seed of [21, 22, 23, 24]) {
    it(`keeps itemsets at exactly the minimum count and drops those one below (seed ${seed})`, () => {
      const items = 10;
      const baskets = randomBaskets(seed, 120 + seed * 7, items);
      const all = bruteForceCounts(baskets, items, 1);
      // The smallest count that some pair and some triple both have exactly: the boundary under test.
      const countsOf = (size: number) =>
        new Set([...all].filter(([key]) => key.split(',').length === size).map(([, c]) => c));
      const pairs = countsOf(2);
      const triples = countsOf(3);
      const minCount = [...triples].filter((c) => c >= 3 && pairs.has(c) && pairs.has(c - 1)).sort((a, b) => a - b)[0];
      assert.ok(minCount !== undefined, 'the baskets must give a count shared by a pair and a triple');
      // Two extra items: one in exactly minCount baskets, one in minCount - 1, spread over the baskets.
      const random = createSeededRandom(seed * 31);
      const order = baskets.map((_, i) => i).sort(() => random.next() - 0.5);
      for (const at of order.slice(0, minCount)) baskets[at]!.push('i10');
      for (const at of order.slice(minCount, 2 * minCount - 1)) baskets[at]!.push('i11');
      const expected = bruteForceCounts(baskets, items + 2, minCount);
      const atBoundary = [...expected].filter(([, c]) => c === minCount).map(([key]) => key.split(',').length);
      assert.ok(
        atBoundary.includes(1) && atBoundary.includes(2) && atBoundary.includes(3),
        'sizes 1–3 at the boundary',
      );
      assert.equal(expected.get('i10'), minCount);
      assert.equal(expected.has('i11'), false);

      const set = buildBasketSet(baskets);
      const found = asMap(findFrequentItemsets(set, { minCount }));
      assert.deepEqual([...found.entries()].sort(), [...expected.entries()].sort());
      // One above the boundary, every itemset that sat exactly on it is gone.
      const above = asMap(findFrequentItemsets(set, { minCount: minCount + 1 }));
      assert.deepEqual(
        [...above.entries()].sort(),
        [...bruteForceCounts(baskets, items + 2, minCount + 1).entries()].sort(),
      );
      // A relative support of exactly minCount / N is the same threshold, whatever the float error.
      const mined = mineAssociationRules(set, { minSupport: minCount / baskets.length, minConfidence: 0.5 });
      assert.equal(mined.minCount, minCount);
      assert.deepEqual([...asMap(mined.itemsets).entries()].sort(), [...expected.entries()].sort());
    });
  }

  it('respects the maximum itemset length', () => {
    const baskets = randomBaskets(9, 300, 10);
    const found = asMap(findFrequentItemsets(buildBasketSet(baskets), { minCount: 3, maxLength: 2 }));
    assert.deepEqual([...found.entries()].sort(), [...bruteForceCounts(baskets, 10, 3, 2).entries()].sort());
  });

  it('turns a relative support into a count without float error', () => {
    assert.equal(minCountForSupport(0.001, 9835), 10);
    assert.equal(minCountForSupport(0.1, 30), 3);
    assert.throws(() => minCountForSupport(0, 10), /support/);
  });

  it('handles a single-path tree and empty results', () => {
    const set = parseBasketText('a,b,c\na,b\na\n');
    assert.deepEqual([...asMap(findFrequentItemsets(set, { minCount: 1 })).entries()].sort(), [
      ['a', 3],
      ['a,b', 2],
      ['a,b,c', 1],
      ['a,c', 1],
      ['b', 2],
      ['b,c', 1],
      ['c', 1],
    ]);
    assert.equal(findFrequentItemsets(set, { minCount: 4 }).size, 0);
  });
});

describe('association rules', () => {
  it('match rules derived by brute force, with every measure', () => {
    const items = 10;
    const baskets = randomBaskets(11, 400, items);
    const minCount = 8;
    const counts = bruteForceCounts(baskets, items, minCount);
    const n = baskets.length;
    const expected: string[] = [];
    for (const [key, count] of counts) {
      const names = key.split(',');
      if (names.length < 2) continue;
      for (const rhs of names) {
        const lhs = names.filter((x) => x !== rhs);
        const conf = count / counts.get(lhs.join(','))!;
        if (conf >= 0.4) expected.push(`${lhs.join(',')}=>${rhs}:${count}`);
      }
    }
    const sets = findFrequentItemsets(buildBasketSet(baskets), { minCount });
    const rules = deriveRules(sets, { minConfidence: 0.4 });
    const got = rules.map((r) => `${[...r.antecedent].sort().join(',')}=>${r.consequent[0]}:${r.count}`);
    assert.deepEqual(got.sort(), expected.sort());
    for (const rule of rules) {
      const all = [...rule.antecedent, ...rule.consequent].sort().join(',');
      const a = counts.get([...rule.antecedent].sort().join(','))!;
      const c = counts.get(rule.consequent.join(','))!;
      assert.equal(rule.count, counts.get(all));
      assert.equal(rule.antecedentCount, a);
      assert.equal(rule.consequentCount, c);
      assert.ok(Math.abs(rule.lift - rule.count / a / (c / n)) < 1e-12);
      assert.ok(Math.abs(rule.leverage - (rule.count / n - (a / n) * (c / n))) < 1e-12);
      if (rule.confidence < 1) assert.ok(Math.abs(rule.conviction - (1 - c / n) / (1 - rule.confidence)) < 1e-9);
    }
    for (let k = 1; k < rules.length; k++) {
      const [p, q] = [rules[k - 1]!, rules[k]!];
      assert.ok(p.lift > q.lift || (p.lift === q.lift && p.confidence >= q.confidence), 'sorted by lift, confidence');
    }
  });

  it('allows several items on the right with maxConsequent and filters sides, lift and length', () => {
    const baskets = randomBaskets(12, 300, 8);
    const set = buildBasketSet(baskets);
    const one = mineAssociationRules(set, { minSupport: 0.03, minConfidence: 0.3 });
    const two = mineAssociationRules(set, { minSupport: 0.03, minConfidence: 0.3, maxConsequent: 2 });
    assert.ok(one.rules.every((r) => r.consequent.length === 1));
    assert.ok(two.rules.some((r) => r.consequent.length === 2));
    assert.ok(two.rules.length > one.rules.length);
    const filtered = mineAssociationRules(set, {
      minSupport: 0.03,
      minConfidence: 0.3,
      minLift: 1.2,
      maxLength: 2,
      allowedLeft: new Set(['i1']),
      allowedRight: new Set(['i7', 'i2']),
    });
    assert.ok(filtered.rules.length > 0);
    for (const rule of filtered.rules) {
      assert.deepEqual(rule.antecedent, ['i1']);
      assert.ok(['i7', 'i2'].includes(rule.consequent[0]!));
      assert.ok(rule.lift >= 1.2);
    }
  });
});
