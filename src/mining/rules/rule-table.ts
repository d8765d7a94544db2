// Rules A → C as three columns of itemset indices (the whole itemset, A, C: every subset of a frequent
// itemset is frequent, so A and C are itemsets too), not one object per rule: their counts, and so
// support, confidence, lift, leverage and conviction, follow from the itemsets' counts. Sorted by
// lift, confidence and count, descending, then by the items' names.
import { type FrequentItemsets, ItemsetIndex } from './frequent-itemsets.ts';

export interface RuleOptions {
  minConfidence: number;
  minLift?: number;
  /** Longest rule (antecedent + consequent items). */
  maxLength?: number;
  /** Most items on the right (default 1). */
  maxConsequent?: number;
  /** Only these items may appear on the left / right (item names). */
  allowedLeft?: ReadonlySet<string>;
  allowedRight?: ReadonlySet<string>;
}

export interface RuleTable {
  sets: FrequentItemsets;
  size: number;
  /** Rule r covers itemset whole[r]; its antecedent is itemset antecedent[r], its consequent consequent[r]. */
  whole: Int32Array;
  antecedent: Int32Array;
  consequent: Int32Array;
}

/** Every rule of the itemsets that passes the options, sorted (see compareRules). */
export function deriveRuleTable(sets: FrequentItemsets, options: RuleOptions): RuleTable {
  const { items, offsets, counts, itemNames, basketCount: n } = sets;
  const maxConsequent = Math.max(1, options.maxConsequent ?? 1);
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  const minLift = options.minLift ?? 0;
  const { minConfidence } = options;
  const allowLeft = toMask(itemNames, options.allowedLeft);
  const allowRight = toMask(itemNames, options.allowedRight);
  // A one-item side's itemset is found by the item's id, without hashing: every consequent of the
  // default rules (one item on the right), and both antecedents of a two-item itemset, most rules'.
  const single = new Int32Array(itemNames.length).fill(-1);
  let longest = 1;
  for (let k = 0; k < sets.size; k++) {
    const length = offsets[k + 1]! - offsets[k]!;
    if (length === 1) single[items[offsets[k]!]!] = k;
    else if (length > longest) longest = length;
  }
  const index = longest > 2 ? new ItemsetIndex(sets) : null;
  const left = new Int32Array(longest);
  const right = new Int32Array(longest);
  const pick = new Int32Array(longest);
  let found = new RuleColumns(1024);
  for (let k = 0; k < sets.size; k++) {
    const start = offsets[k]!;
    const length = offsets[k + 1]! - start;
    if (length < 2 || length > maxLength) continue;
    const count = counts[k]!;
    // one item on the right, item j of the itemset
    for (let j = 0; j < length; j++) {
      const id = items[start + j]!;
      if (allowRight && !allowRight[id]) continue;
      let l = 0;
      let allowed = true;
      for (let q = 0; q < length; q++) {
        if (q === j) continue;
        const other = items[start + q]!;
        if (allowLeft && !allowLeft[other]) allowed = false;
        left[l++] = other;
      }
      if (!allowed) continue;
      const a = l === 1 ? single[left[0]!]! : index!.find(left, l);
      const confidence = count / counts[a]!;
      if (confidence < minConfidence) continue;
      const c = single[id]!;
      const lift = (confidence * n) / counts[c]!;
      if (lift < minLift) continue;
      if (found.size === found.capacity) found = found.grown();
      found.push(k, a, c, lift, confidence);
    }
    const largest = Math.min(maxConsequent, length - 1);
    for (let size = 2; size <= largest; size++) {
      // positions of the consequent's items in the itemset, as the next combination in lexical order
      for (let j = 0; j < size; j++) pick[j] = j;
      for (;;) {
        let l = 0;
        let r = 0;
        let p = 0;
        let allowed = true;
        for (let j = 0; j < length; j++) {
          const id = items[start + j]!;
          if (p < size && pick[p] === j) {
            p++;
            if (allowRight && !allowRight[id]) allowed = false;
            right[r++] = id;
          } else {
            if (allowLeft && !allowLeft[id]) allowed = false;
            left[l++] = id;
          }
        }
        if (allowed) {
          const a = l === 1 ? single[left[0]!]! : index!.find(left, l);
          const confidence = count / counts[a]!;
          if (confidence >= minConfidence) {
            const c = index!.find(right, r);
            const lift = (confidence * n) / counts[c]!;
            if (lift >= minLift) {
              if (found.size === found.capacity) found = found.grown();
              found.push(k, a, c, lift, confidence);
            }
          }
        }
        let j = size - 1;
        while (j >= 0 && pick[j] === length - size + j) j--;
        if (j < 0) break;
        pick[j]!++;
        for (let q = j + 1; q < size; q++) pick[q] = pick[q - 1]! + 1;
      }
    }
  }
  return sortRules(sets, found);
}

/** Growing columns of the rules found, with lift and confidence kept for the sort. */
class RuleColumns {
  size = 0;
  readonly whole: Int32Array;
  readonly antecedent: Int32Array;
  readonly consequent: Int32Array;
  readonly lift: Float64Array;
  readonly confidence: Float64Array;

  constructor(readonly capacity: number) {
    this.whole = new Int32Array(capacity);
    this.antecedent = new Int32Array(capacity);
    this.consequent = new Int32Array(capacity);
    this.lift = new Float64Array(capacity);
    this.confidence = new Float64Array(capacity);
  }

  push(whole: number, antecedent: number, consequent: number, lift: number, confidence: number): void {
    const r = this.size++;
    this.whole[r] = whole;
    this.antecedent[r] = antecedent;
    this.consequent[r] = consequent;
    this.lift[r] = lift;
    this.confidence[r] = confidence;
  }

  grown(): RuleColumns {
    const bigger = new RuleColumns(this.capacity * 2);
    bigger.whole.set(this.whole);
    bigger.antecedent.set(this.antecedent);
    bigger.consequent.set(this.consequent);
    bigger.lift.set(this.lift);
    bigger.confidence.set(this.confidence);
    bigger.size = this.size;
    return bigger;
  }
}

/** Lift, then confidence, then count, all descending; then the antecedent's and consequent's names. */
function sortRules(sets: FrequentItemsets, found: RuleColumns): RuleTable {
  const { items, offsets, counts, itemNames } = sets;
  const nameRank = rankNames(itemNames);
  const { whole, antecedent, consequent, lift, confidence } = found;
  const compareItems = (x: number, y: number): number => {
    const xs = offsets[x]!;
    const ys = offsets[y]!;
    const xl = offsets[x + 1]! - xs;
    const yl = offsets[y + 1]! - ys;
    for (let j = 0; j < xl && j < yl; j++) {
      const d = nameRank[items[xs + j]!]! - nameRank[items[ys + j]!]!;
      if (d !== 0) return d;
    }
    return xl - yl;
  };
  const order = Array.from({ length: found.size }, (_, r) => r);
  order.sort(
    (a, b) =>
      lift[b]! - lift[a]! ||
      confidence[b]! - confidence[a]! ||
      counts[whole[b]!]! - counts[whole[a]!]! ||
      compareItems(antecedent[a]!, antecedent[b]!) ||
      compareItems(consequent[a]!, consequent[b]!),
  );
  const table: RuleTable = {
    sets,
    size: found.size,
    whole: new Int32Array(found.size),
    antecedent: new Int32Array(found.size),
    consequent: new Int32Array(found.size),
  };
  for (let r = 0; r < found.size; r++) {
    const from = order[r]!;
    table.whole[r] = whole[from]!;
    table.antecedent[r] = antecedent[from]!;
    table.consequent[r] = consequent[from]!;
  }
  return table;
}

/** Each item's position among the names in code-unit order (stable across locales). */
function rankNames(names: readonly string[]): Int32Array {
  const byName = Array.from(names.keys()).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Int32Array(names.length);
  for (let r = 0; r < byName.length; r++) rank[byName[r]!] = r;
  return rank;
}

function toMask(names: string[], allowed: ReadonlySet<string> | undefined): Uint8Array | null {
  if (!allowed) return null;
  const mask = new Uint8Array(names.length);
  for (let id = 0; id < names.length; id++) if (allowed.has(names[id]!)) mask[id] = 1;
  return mask;
}
