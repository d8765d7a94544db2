// FP-growth (Han, Pei, Yin 2000) over typed arrays: one FP-tree of the baskets, then conditional
// trees mined recursively, with a direct enumeration when a conditional tree is a single path.
import { AppError } from '../../shared/errors.ts';
import type { BasketSet } from './basket-set.ts';
import { FpTree } from './fp-tree.ts';
import { type FrequentItemsets, ItemsetBuilder } from './frequent-itemsets.ts';

export interface FpGrowthOptions {
  /** Minimum number of baskets holding the itemset (see minCountForSupport). */
  minCount: number;
  /** Longest itemset to report (default: no limit). */
  maxLength?: number;
}

/** The absolute count for a relative support, robust to float error (0.001 × 9835 → 10, not 11). */
export function minCountForSupport(minSupport: number, basketCount: number): number {
  if (!(minSupport > 0 && minSupport <= 1))
    throw new AppError('USAGE', `minimum support must be in (0, 1], not ${minSupport}`);
  return Math.max(1, Math.ceil(minSupport * basketCount - 1e-9));
}

export function findFrequentItemsets(baskets: BasketSet, options: FpGrowthOptions): FrequentItemsets {
  const minCount = Math.max(1, Math.floor(options.minCount));
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  const { basketCount, itemNames } = baskets;
  const itemTotal = countItems(baskets);
  const frequentIds: number[] = [];
  for (let id = 0; id < itemTotal.length; id++) if (itemTotal[id]! >= minCount) frequentIds.push(id);
  frequentIds.sort((a, b) => itemTotal[b]! - itemTotal[a]! || a - b);
  const idOfRank = Int32Array.from(frequentIds);
  const rankOfId = new Int32Array(itemNames.length).fill(-1);
  for (let r = 0; r < idOfRank.length; r++) rankOfId[idOfRank[r]!] = r;
  const tree = buildTree(baskets, rankOfId, idOfRank.length);
  const miner = new Miner(minCount, maxLength, idOfRank);
  if (idOfRank.length > 0) miner.mine(tree, 0);
  return miner.builder.finish(basketCount, itemNames);
}

// The passes over every item of every basket are functions of their own: in a fresh process a long
// loop is optimised while it runs (on-stack replacement), which compiles the whole function around
// it, once per loop when one function holds several (--trace-opt on Groceries-like: three OSR
// compilations of findFrequentItemsets before the mining began, now one of buildTree).

/** How many baskets hold each item. */
function countItems({ items, itemNames }: BasketSet): Int32Array {
  const itemTotal = new Int32Array(itemNames.length);
  for (let k = 0; k < items.length; k++) itemTotal[items[k]!]!++;
  return itemTotal;
}

/** The FP-tree of the baskets: each basket's frequent items in ascending rank, as one path. */
function buildTree({ items, offsets, basketCount }: BasketSet, rankOfId: Int32Array, frequent: number): FpTree {
  let kept = 0;
  for (let k = 0; k < items.length; k++) if (rankOfId[items[k]!] !== -1) kept++;
  const tree = new FpTree(frequent, kept + 1);
  const path = new Int32Array(Math.max(1, frequent));
  for (let b = 0; b < basketCount; b++) {
    const length = rankedBasket(items, offsets[b]!, offsets[b + 1]!, rankOfId, path);
    if (length > 0) tree.insert(path, 0, length, 1);
  }
  return tree;
}

/** Writes the frequent items of items[from..to) into path by ascending rank; gives their number. */
function rankedBasket(items: Int32Array, from: number, to: number, rankOfId: Int32Array, path: Int32Array): number {
  let length = 0;
  for (let k = from; k < to; k++) {
    const rank = rankOfId[items[k]!]!;
    if (rank === -1) continue;
    let j = length++;
    while (j > 0 && path[j - 1]! > rank) {
      path[j] = path[j - 1]!;
      j--;
    }
    path[j] = rank;
  }
  return length;
}

class Miner {
  readonly builder = new ItemsetBuilder();
  private readonly prefix: Int32Array;
  private readonly ids: Int32Array;
  private readonly pathBuffer: Int32Array;
  /** Item counts among the prefix paths of one item; zero between uses. */
  private readonly local: Int32Array;
  /** One conditional tree per recursion depth, reset and refilled. */
  private readonly trees: FpTree[] = [];

  constructor(
    private readonly minCount: number,
    private readonly maxLength: number,
    private readonly idOfRank: Int32Array,
  ) {
    this.prefix = new Int32Array(idOfRank.length + 1);
    this.ids = new Int32Array(idOfRank.length + 1);
    this.pathBuffer = new Int32Array(idOfRank.length + 1);
    this.local = new Int32Array(idOfRank.length + 1);
  }

  private emit(length: number, count: number): void {
    for (let k = 0; k < length; k++) this.ids[k] = this.idOfRank[this.prefix[k]!]!;
    this.builder.add(this.ids, length, count);
  }

  mine(tree: FpTree, depth: number): void {
    if (tree.singlePath) {
      this.enumeratePath(tree, 1, depth);
      return;
    }
    const { minCount } = this;
    for (let i = tree.itemCount - 1; i >= 0; i--) {
      const support = tree.support[i]!;
      if (support < minCount) continue;
      this.prefix[depth] = i;
      this.emit(depth + 1, support);
      if (depth + 1 >= this.maxLength || i === 0) continue;
      const conditional = this.conditionalTree(tree, i, depth + 1);
      if (conditional) this.mine(conditional, depth + 1);
    }
  }

  /** The FP-tree of item i's prefix paths, keeping the items frequent among them; null if none is. */
  private conditionalTree(tree: FpTree, i: number, depth: number): FpTree | null {
    const { minCount, pathBuffer, local } = this;
    const { count, links, nodeLink } = tree;
    // one walk for the items' counts and an upper bound of the nodes (every step of every path)
    let capacity = 1;
    for (let node = tree.head[i]!; node !== -1; node = nodeLink[node]!) {
      const c = count[node]!;
      for (let p = links[2 * node]!; p !== 0; p = links[2 * p]!) {
        local[links[2 * p + 1]!]! += c;
        capacity++;
      }
    }
    let top = -1;
    let frequent = 0;
    for (let j = i - 1; j >= 0; j--)
      if (local[j]! >= minCount) {
        if (top === -1) top = j;
        frequent++;
      }
    if (frequent <= 1) {
      // none, or one item j: the only itemset is the prefix with j, counted already; no tree to build
      if (frequent === 1) {
        this.prefix[depth] = top;
        this.emit(depth + 1, local[top]!);
      }
      local.fill(0, 0, i);
      return null;
    }
    let conditional = this.trees[depth];
    if (conditional) conditional.reset(top + 1, capacity);
    else conditional = this.trees[depth] = new FpTree(top + 1, capacity);
    const end = pathBuffer.length;
    for (let node = tree.head[i]!; node !== -1; node = nodeLink[node]!) {
      // the path is walked leaf to root, so it is written from the end of the buffer backwards
      let at = end;
      for (let p = links[2 * node]!; p !== 0; p = links[2 * p]!) {
        const it = links[2 * p + 1]!;
        if (local[it]! >= minCount) pathBuffer[--at] = it;
      }
      if (at < end) conditional.insert(pathBuffer, at, end, count[node]!);
    }
    local.fill(0, 0, i);
    return conditional;
  }

  /** A single-path tree: every combination of its nodes is frequent, with the deepest node's count. */
  private enumeratePath(tree: FpTree, from: number, depth: number): void {
    if (depth >= this.maxLength) return;
    for (let node = from; node < tree.size; node++) {
      const c = tree.count[node]!;
      if (c < this.minCount) return;
      this.prefix[depth] = tree.links[2 * node + 1]!;
      this.emit(depth + 1, c);
      this.enumeratePath(tree, node + 1, depth + 1);
    }
  }
}
