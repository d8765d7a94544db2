// Rules A → C from frequent itemsets, with support, confidence, lift, leverage and conviction.
// By default C has one item (as arules and SPMF); maxConsequent allows more.
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

export interface AssociationRule {
  antecedent: string[];
  consequent: string[];
  /** Baskets holding all items of the rule, the antecedent, the consequent. */
  count: number;
  antecedentCount: number;
  consequentCount: number;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  /** Infinity when confidence is 1. */
  conviction: number;
}

export function deriveRules(sets: FrequentItemsets, options: RuleOptions): AssociationRule[] {
  const index = new ItemsetIndex(sets);
  const { items, offsets, counts, itemNames, basketCount } = sets;
  const maxConsequent = Math.max(1, options.maxConsequent ?? 1);
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  const minLift = options.minLift ?? 0;
  const allowLeft = toMask(itemNames, options.allowedLeft);
  const allowRight = toMask(itemNames, options.allowedRight);
  const rules: AssociationRule[] = [];
  let longest = 1;
  for (let k = 0; k < sets.size; k++) longest = Math.max(longest, offsets[k + 1]! - offsets[k]!);
  const left = new Int32Array(longest);
  const right = new Int32Array(longest);
  const pick = new Int32Array(longest);
  const n = basketCount;
  const measureRule = (l: Int32Array, lLength: number, r: Int32Array, rLength: number, count: number) => {
    const antecedentCount = counts[index.find(l, lLength)]!;
    const confidence = count / antecedentCount;
    if (confidence < options.minConfidence) return null;
    const consequentCount = counts[index.find(r, rLength)]!;
    const lift = (confidence * n) / consequentCount;
    if (lift < minLift) return null;
    const support = count / n;
    const consequentSupport = consequentCount / n;
    return {
      antecedent: Array.from(l.subarray(0, lLength), (id) => itemNames[id]!),
      consequent: Array.from(r.subarray(0, rLength), (id) => itemNames[id]!),
      count,
      antecedentCount,
      consequentCount,
      support,
      confidence,
      lift,
      leverage: support - (antecedentCount / n) * consequentSupport,
      conviction: confidence >= 1 ? Number.POSITIVE_INFINITY : (1 - consequentSupport) / (1 - confidence),
    };
  };
  for (let k = 0; k < sets.size; k++) {
    const start = offsets[k]!;
    const length = offsets[k + 1]! - start;
    if (length < 2 || length > maxLength) continue;
    const count = counts[k]!;
    const largest = Math.min(maxConsequent, length - 1);
    for (let size = 1; size <= largest; size++) {
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
          const rule = measureRule(left, l, right, r, count);
          if (rule) rules.push(rule);
        }
        let j = size - 1;
        while (j >= 0 && pick[j] === length - size + j) j--;
        if (j < 0) break;
        pick[j]!++;
        for (let q = j + 1; q < size; q++) pick[q] = pick[q - 1]! + 1;
      }
    }
  }
  return rules.sort(compareRules);
}

/** Lift, then confidence, then support, all descending; then by items, for a stable order. */
export function compareRules(a: AssociationRule, b: AssociationRule): number {
  return (
    b.lift - a.lift ||
    b.confidence - a.confidence ||
    b.count - a.count ||
    a.antecedent.join('\u0000').localeCompare(b.antecedent.join('\u0000')) ||
    a.consequent.join('\u0000').localeCompare(b.consequent.join('\u0000'))
  );
}

function toMask(names: string[], allowed: ReadonlySet<string> | undefined): Uint8Array | null {
  if (!allowed) return null;
  const mask = new Uint8Array(names.length);
  for (let id = 0; id < names.length; id++) if (allowed.has(names[id]!)) mask[id] = 1;
  return mask;
}
