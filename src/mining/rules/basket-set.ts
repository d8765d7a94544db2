// Transactions as flat typed arrays: item names once, each basket a run of item ids.
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';

export interface BasketSet {
  /** Item names by id. */
  itemNames: string[];
  /** Item ids of all baskets, back to back; each basket has distinct ids. */
  items: Int32Array;
  /** Basket b holds items[offsets[b] .. offsets[b+1]). */
  offsets: Int32Array;
  basketCount: number;
}

/** Builds a basket set from baskets given as item-name lists (duplicates in a basket count once). */
export function buildBasketSet(baskets: Iterable<readonly string[]>): BasketSet {
  const ids = new Map<string, number>();
  const itemNames: string[] = [];
  let items = new Int32Array(1024);
  let offsets = new Int32Array(1024);
  let used = 0;
  let basketCount = 0;
  const seen = new Set<number>();
  for (const basket of baskets) {
    seen.clear();
    for (const name of basket) {
      let id = ids.get(name);
      if (id === undefined) {
        id = itemNames.length;
        ids.set(name, id);
        itemNames.push(name);
      }
      if (seen.has(id)) continue;
      seen.add(id);
      if (used === items.length) items = grow(items);
      items[used++] = id;
    }
    basketCount++;
    if (basketCount + 1 >= offsets.length) offsets = grow(offsets);
    offsets[basketCount] = used;
  }
  return { itemNames, items: items.slice(0, used), offsets: offsets.slice(0, basketCount + 1), basketCount };
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Parses basket text: one transaction a line, items separated by commas; blank lines are skipped. */
export function parseBasketText(text: string): BasketSet {
  const lines = text.split(/\r?\n/);
  function* baskets(): Generator<string[]> {
    for (const line of lines) {
      if (line.trim() === '') continue;
      const basket: string[] = [];
      for (const raw of line.split(',')) {
        const item = raw.trim();
        if (item !== '') basket.push(item);
      }
      yield basket;
    }
  }
  return buildBasketSet(baskets());
}

export function readBasketFile(path: string): BasketSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read basket file: ${(error as Error).message}`, {
      location: { file: path },
      hint: 'give a text file with one transaction a line, items separated by commas',
      cause: error,
    });
  }
  const set = parseBasketText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (set.basketCount === 0)
    throw new AppError('INPUT_INVALID', 'basket file has no transactions', {
      location: { file: path },
      hint: 'one transaction a line, items separated by commas',
    });
  return set;
}
