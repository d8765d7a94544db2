export {
  type AssociationRule,
  compareRules,
  deriveRules,
  type RuleOptions,
  ruleAt,
  ruleTableToRules,
} from './association-rules.ts';
export { type BasketSet, basketFormatOf, buildBasketSet, parseBasketText, readBasketFile } from './basket-set.ts';
export { findFrequentItemsets, type FpGrowthOptions, minCountForSupport } from './fp-growth.ts';
export { type FrequentItemsets, ItemsetIndex } from './frequent-itemsets.ts';
export {
  type MinedRules,
  type MineRulesOptions,
  mineAssociationRules,
  mineRuleTable,
  type MinedRuleTable,
  type RuleRow,
  ruleToRow,
} from './mine-association-rules.ts';
export { type BasketFormat, parseBasketBytes } from './read-basket-bytes.ts';
export { deriveRuleTable, type RuleTable } from './rule-table.ts';
export {
  generateQuestBaskets,
  generateRetailLikeBaskets,
  type QuestOptions,
  type RetailLikeOptions,
} from './quest-baskets.ts';
export { generateSyntheticBaskets, type SyntheticBasketOptions } from './synthetic-baskets.ts';
export { listWarehouseRules, type WarehouseRuleList, type WarehouseRuleOptions } from './list-warehouse-rules.ts';
