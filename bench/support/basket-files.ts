// The basket files of the rules benchmark: look-alikes of Groceries, FIMI retail and T10I4D100K
// (those files are not on these machines), written once into .telmark/bench-baskets/ and reused.
// Same seed, same bytes; the file name carries the generator's version so a change rewrites them.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BasketSet,
  generateQuestBaskets,
  generateRetailLikeBaskets,
  generateSyntheticBaskets,
} from '../../src/mining/rules/index.ts';

export interface BasketFile {
  name: string;
  path: string;
  /** The real file this one mimics. */
  mimics: string;
  minSupport: number;
}

const version = 2;

export function benchmarkBasketFiles(dir = join(process.cwd(), '.telmark', 'bench-baskets')): BasketFile[] {
  mkdirSync(dir, { recursive: true });
  const files = [
    {
      name: 'groceries_like',
      file: `groceries-like-v${version}.csv`,
      mimics: 'Groceries (arules): 9,835 baskets, 169 items, 4.4 items a basket',
      minSupport: 0.001,
      make: () => generateSyntheticBaskets({ baskets: 9835, items: 169, seed: 1 }),
    },
    {
      name: 'retail_like',
      file: `retail-like-v${version}.dat`,
      mimics: 'FIMI retail: 88,162 baskets, 16,470 items, 10.3 items a basket, heavy-tailed',
      minSupport: 0.001,
      make: () => generateRetailLikeBaskets({ baskets: 88_162, items: 16_470, seed: 2 }),
    },
    {
      name: 't10i4d100k_like',
      file: `t10i4d100k-like-v${version}.dat`,
      mimics: 'FIMI T10I4D100K (IBM Quest): 100,000 transactions, 1,000 items, T=10, I=4, L=2,000',
      minSupport: 0.001,
      make: () =>
        generateQuestBaskets({
          transactions: 100_000,
          items: 1000,
          meanTransactionSize: 10,
          meanPatternSize: 4,
          patterns: 2000,
          seed: 3,
        }),
    },
  ];
  return files.map(({ name, file, mimics, minSupport, make }) => {
    const path = join(dir, file);
    if (!existsSync(path)) {
      writeFileSync(`${path}.part`, basketText(make(), file.endsWith('.dat') ? ' ' : ','));
      renameSync(`${path}.part`, path);
    }
    return { name, path, mimics, minSupport };
  });
}

/** One basket a line, items separated by `separator` (' ' for FIMI .dat, ',' for CSV). */
export function basketText(set: BasketSet, separator: string): string {
  const lines: string[] = [];
  for (let b = 0; b < set.basketCount; b++) {
    const names: string[] = [];
    for (let k = set.offsets[b]!; k < set.offsets[b + 1]!; k++) names.push(set.itemNames[set.items[k]!]!);
    lines.push(names.join(separator));
  }
  return `${lines.join('\n')}\n`;
}
