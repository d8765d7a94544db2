import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type BasketSet,
  findFrequentItemsets,
  generateQuestBaskets,
  generateSyntheticBaskets,
  mineRuleTable,
  parseBasketBytes,
  parseBasketText,
  readBasketFile,
} from '../../../src/mining/rules/index.ts';
import { parseCsvBasketBytes } from '../../../src/mining/rules/read-basket-bytes.ts';
import { isAppError } from '../../../src/shared/errors.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-baskets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Baskets as sorted item-name lists, to compare sets read in different ways. */
function asLists(set: BasketSet): string[][] {
  const lists: string[][] = [];
  for (let b = 0; b < set.basketCount; b++)
    lists.push(Array.from(set.items.subarray(set.offsets[b], set.offsets[b + 1]), (id) => set.itemNames[id]!).sort());
  return lists;
}

function text(set: BasketSet, separator: string): string {
  return `${asLists(set)
    .map((items) => items.join(separator))
    .join('\n')}\n`;
}

/** Every itemset that occurs in some basket, with its count: each basket's subsets enumerated. */
function bruteForceCounts(set: BasketSet, minCount: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const items of asLists(set)) {
    assert.ok(items.length <= 14, 'brute force needs short baskets');
    for (let subset = 1; subset < 1 << items.length; subset++) {
      const key = items.filter((_, j) => subset & (1 << j)).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return new Map([...counts].filter(([, count]) => count >= minCount));
}

function itemsetCounts(set: BasketSet, minCount: number): Map<string, number> {
  const sets = findFrequentItemsets(set, { minCount });
  const counts = new Map<string, number>();
  for (let k = 0; k < sets.size; k++) {
    const names = Array.from(sets.items.subarray(sets.offsets[k], sets.offsets[k + 1]), (id) => sets.itemNames[id]!);
    counts.set(names.sort().join(' '), sets.counts[k]!);
  }
  return counts;
}

describe('basket files read as bytes', () => {
  it('reads CSV with blanks, CRLF, a byte-order mark, repeats and no final newline', () => {
    const set = parseBasketBytes(Buffer.from('\ufeff milk , bread\r\n\r\n  \nbread,,milk,milk\n彩铃, 手机报'), 'csv');
    assert.equal(set.basketCount, 3);
    assert.deepEqual(asLists(set), [
      ['bread', 'milk'],
      ['bread', 'milk'],
      ['彩铃', '手机报'],
    ]);
    assert.deepEqual(set.itemNames, ['milk', 'bread', '彩铃', '手机报']);
  });

  it('reads a small CSV file as text into the same baskets, ids and names as the byte loops', () => {
    const cases = [
      '\uFEFFmilk, bread\r\n\r\n  \t\nbread,milk,bread\n,,\n 彩铃 ,手机报\t\n\u3000x\u3000, y\u00a0\nlast,line',
      'a,b\n\n\na\n',
      '\uFEFF\uFEFFa\n',
      ' , ,\n\r\na',
      '',
      'a,\uFFFD,b\n',
    ];
    const random = createSeededRandom(5);
    const alphabet = ['a', 'b', 'c', ',', ' ', '\t', '\r', '\n', '铃', '\u3000'];
    for (let i = 0; i < 300; i++)
      cases.push(Array.from({ length: random.int(60) }, () => alphabet[random.int(alphabet.length)]).join(''));
    for (const text of cases) {
      const bytes = Buffer.from(text, 'utf8');
      assert.deepEqual(parseCsvBasketBytes(bytes), parseCsvBasketBytes(bytes, -1), JSON.stringify(text));
    }
    // bytes that are not UTF-8: two different invalid items stay two items (read by the byte loops)
    const invalid = Buffer.concat([
      Buffer.from('x,'),
      Buffer.from([0xff]),
      Buffer.from(','),
      Buffer.from([0xfe]),
      Buffer.from('\n'),
    ]);
    assert.equal(parseCsvBasketBytes(invalid).itemNames.length, 3);
    assert.deepEqual(parseCsvBasketBytes(invalid), parseCsvBasketBytes(invalid, -1));
  });

  it('reads FIMI .dat with spaces, tabs, CRLF, blank lines and repeats', () => {
    const set = parseBasketBytes(Buffer.from('1 2 3\r\n\n3\t1  1 \n 7\n42'), 'fimi');
    assert.equal(set.basketCount, 4);
    assert.deepEqual(asLists(set), [['1', '2', '3'], ['1', '3'], ['7'], ['42']]);
  });

  it('names the file, line and item of a FIMI line that is not item ids', () => {
    const path = join(dir, 'bad.dat');
    writeFileSync(path, '1 2\n3 x4 5\n');
    assert.throws(
      () => readBasketFile(path),
      (error) =>
        isAppError(error) && error.location?.line === 2 && error.location.file === path && /"x4"/.test(error.message),
    );
  });

  it('chooses FIMI for a .dat file and CSV otherwise, unless told', () => {
    const dat = join(dir, 'b.dat');
    writeFileSync(dat, '1 2\n2 3\n');
    assert.deepEqual(asLists(readBasketFile(dat)), [
      ['1', '2'],
      ['2', '3'],
    ]);
    assert.deepEqual(asLists(readBasketFile(dat, 'csv')), [['1 2'], ['2 3']]);
    const txt = join(dir, 'b.txt');
    writeFileSync(txt, '1 2\n2 3\n');
    assert.deepEqual(asLists(readBasketFile(txt, 'fimi')), [
      ['1', '2'],
      ['2', '3'],
    ]);
  });

  it('finds the same itemsets, counts and rules in the FIMI and CSV forms of one basket set', () => {
    const quest = generateQuestBaskets({
      transactions: 3000,
      items: 200,
      meanTransactionSize: 8,
      meanPatternSize: 4,
      patterns: 100,
      seed: 5,
    });
    const fimi = parseBasketBytes(Buffer.from(text(quest, ' ')), 'fimi');
    const csv = parseBasketBytes(Buffer.from(text(quest, ', ')), 'csv');
    assert.deepEqual(itemsetCounts(fimi, 15), itemsetCounts(csv, 15));
    const options = { minSupport: 0.005, minConfidence: 0.5 };
    assert.equal(mineRuleTable(fimi, options).rules.size, mineRuleTable(csv, options).rules.size);
  });

  for (const seed of [1, 2, 3]) {
    it(`finds every itemset of small Quest baskets that brute force finds, with its count (seed ${seed})`, () => {
      const quest = generateQuestBaskets({
        transactions: 400,
        items: 30,
        meanTransactionSize: 5,
        meanPatternSize: 3,
        patterns: 12,
        seed,
      });
      const baskets = parseBasketBytes(Buffer.from(text(quest, ' ')), 'fimi');
      const truncated = parseBasketBytes(
        Buffer.from(
          asLists(baskets)
            .map((items) => items.slice(0, 14).join(' '))
            .join('\n'),
        ),
        'fimi',
      );
      const minCount = 4;
      const expected = bruteForceCounts(truncated, minCount);
      assert.ok(expected.size > 100);
      assert.deepEqual([...itemsetCounts(truncated, minCount)].sort(), [...expected].sort());
    });
  }
});

describe('exact counts on the seeded look-alike sets', () => {
  // Fixed seeds, fixed counts: a change to the reader, FP-growth or the rules that changes them is a bug
  // (or a deliberate change to the generators, which must then say so here).
  it('Groceries-like (9,835 baskets, support 0.001, confidence 0.5)', () => {
    const baskets = generateSyntheticBaskets({ baskets: 9835, items: 169, seed: 1 });
    const viaCsv = parseBasketText(text(baskets, ','));
    const mined = mineRuleTable(viaCsv, { minSupport: 0.001, minConfidence: 0.5 });
    assert.deepEqual([mined.minCount, mined.itemsets.size, mined.rules.size], [10, 14737, 12199]);
  });

  it('T10I4D100K-like, a tenth of it (10,000 transactions, support 0.005)', () => {
    const baskets = generateQuestBaskets({
      transactions: 10_000,
      items: 1000,
      meanTransactionSize: 10,
      meanPatternSize: 4,
      patterns: 2000,
      seed: 3,
    });
    const viaFimi = parseBasketBytes(Buffer.from(text(baskets, ' ')), 'fimi');
    const mined = mineRuleTable(viaFimi, { minSupport: 0.005, minConfidence: 0.5 });
    assert.deepEqual([mined.minCount, mined.itemsets.size, mined.rules.size], [50, 2955, 7235]);
  });
});
