// One call from baskets to sorted rules: the frequent itemsets, then the rules that pass the filters.
import type { BasketSet } from './basket-set.ts';
import { type AssociationRule, type RuleOptions, ruleTableToRules } from './association-rules.ts';
import { findFrequentItemsets, minCountForSupport } from './fp-growth.ts';
import type { FrequentItemsets } from './frequent-itemsets.ts';
import { deriveRuleTable, type RuleTable } from './rule-table.ts';

export interface MineRulesOptions extends RuleOptions {
  minSupport: number;
}

export interface MinedRules {
  itemsets: FrequentItemsets;
  rules: AssociationRule[];
  minCount: number;
}

export interface MinedRuleTable {
  itemsets: FrequentItemsets;
  rules: RuleTable;
  minCount: number;
}

export function mineAssociationRules(baskets: BasketSet, options: MineRulesOptions): MinedRules {
  const mined = mineRuleTable(baskets, options);
  return { ...mined, rules: ruleTableToRules(mined.rules) };
}

/** The same as a table of itemset indices: what the CLI writes out, without an object per rule. */
export function mineRuleTable(baskets: BasketSet, options: MineRulesOptions): MinedRuleTable {
  const minCount = minCountForSupport(options.minSupport, baskets.basketCount);
  const itemsets = findFrequentItemsets(baskets, { minCount, maxLength: options.maxLength });
  return { itemsets, rules: deriveRuleTable(itemsets, options), minCount };
}

/** A rule as one flat row: a type alias, not an interface, so it is a Record for the row writers. */
export type RuleRow = {
  lhs: string;
  rhs: string;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number | null;
  count: number;
  lhs_count: number;
  rhs_count: number;
};

/** A rule as a flat output row (items joined with ", "); conviction Infinity becomes null in JSON/CSV. */
export function ruleToRow(rule: AssociationRule): RuleRow {
  return {
    lhs: rule.antecedent.join(', '),
    rhs: rule.consequent.join(', '),
    support: round(rule.support, 6),
    confidence: round(rule.confidence, 6),
    lift: round(rule.lift, 6),
    leverage: round(rule.leverage, 6),
    conviction: Number.isFinite(rule.conviction) ? round(rule.conviction, 6) : null,
    count: rule.count,
    lhs_count: rule.antecedentCount,
    rhs_count: rule.consequentCount,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
