// Rules A → C from frequent itemsets, with support, confidence, lift, leverage and conviction.
// By default C has one item (as arules and SPMF); maxConsequent allows more. The rules are found as a
// RuleTable (columns of itemset indices, rule-table.ts); this file turns them into objects for the
// callers that want a few (the API, the cross-sell models). The CLI writes the table directly.
import type { FrequentItemsets } from './frequent-itemsets.ts';
import { deriveRuleTable, type RuleOptions, type RuleTable } from './rule-table.ts';

export type { RuleOptions } from './rule-table.ts';

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
  return ruleTableToRules(deriveRuleTable(sets, options));
}

/** Rules [from, to) of a table as objects. */
export function ruleTableToRules(table: RuleTable, from = 0, to = table.size): AssociationRule[] {
  const rules: AssociationRule[] = [];
  for (let r = from; r < Math.min(to, table.size); r++) rules.push(ruleAt(table, r));
  return rules;
}

export function ruleAt(table: RuleTable, r: number): AssociationRule {
  const { counts, basketCount: n } = table.sets;
  const count = counts[table.whole[r]!]!;
  const antecedentCount = counts[table.antecedent[r]!]!;
  const consequentCount = counts[table.consequent[r]!]!;
  const support = count / n;
  const confidence = count / antecedentCount;
  const consequentSupport = consequentCount / n;
  return {
    antecedent: itemNamesOf(table.sets, table.antecedent[r]!),
    consequent: itemNamesOf(table.sets, table.consequent[r]!),
    count,
    antecedentCount,
    consequentCount,
    support,
    confidence,
    lift: (confidence * n) / consequentCount,
    leverage: support - (antecedentCount / n) * consequentSupport,
    conviction: confidence >= 1 ? Number.POSITIVE_INFINITY : (1 - consequentSupport) / (1 - confidence),
  };
}

function itemNamesOf(sets: FrequentItemsets, k: number): string[] {
  return Array.from(sets.items.subarray(sets.offsets[k], sets.offsets[k + 1]), (id) => sets.itemNames[id]!);
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
