// Transactions as flat typed arrays: item names once, each basket a run of item ids.
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';
import { type BasketFormat, parseBasketBytes, parseCsvBasketBytes } from './read-basket-bytes.ts';

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
  return parseCsvBasketBytes(Buffer.from(text, 'utf8'));
}

/** The format of a basket file: FIMI for a `.dat` file, CSV otherwise, unless the caller says. */
export function basketFormatOf(path: string, format?: BasketFormat): BasketFormat {
  return format ?? (/\.dat$/i.test(path) ? 'fimi' : 'csv');
}

export function readBasketFile(path: string, format?: BasketFormat): BasketSet {
  const chosen = basketFormatOf(path, format);
  const shape =
    chosen === 'fimi'
      ? 'one transaction a line, item ids separated by spaces (FIMI .dat)'
      : 'one transaction a line, items separated by commas';
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read basket file: ${(error as Error).message}`, {
      location: { file: path },
      hint: `give a text file with ${shape}`,
      cause: error,
    });
  }
  const set = parseBasketBytes(bytes, chosen, path);
  if (set.basketCount === 0)
    throw new AppError('INPUT_INVALID', 'basket file has no transactions', {
      location: { file: path },
      hint: shape,
    });
  return set;
}
