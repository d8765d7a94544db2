export { type AssociationRule, compareRules, deriveRules, type RuleOptions } from './association-rules.ts';
export { type BasketSet, buildBasketSet, parseBasketText, readBasketFile } from './basket-set.ts';
export { findFrequentItemsets, type FpGrowthOptions, minCountForSupport } from './fp-growth.ts';
export { type FrequentItemsets, ItemsetIndex } from './frequent-itemsets.ts';
export { type MinedRules, type MineRulesOptions, mineAssociationRules, ruleToRow } from './mine-association-rules.ts';
export { generateSyntheticBaskets, type SyntheticBasketOptions } from './synthetic-baskets.ts';
