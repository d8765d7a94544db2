// The rules explorer's answer (GET /api/mining/rules): association rules on the warehouse's baskets
// (services held together, or used in the same month), the strongest first, with the counts that say
// how much was mined.
import type { Warehouse } from '../../warehouse/index.ts';
import { mineAssociationRules, type RuleRow, ruleToRow } from './mine-association-rules.ts';
import { readWarehouseBaskets, type WarehouseBasketKind } from './warehouse-baskets.ts';

export interface WarehouseRuleOptions {
  source: WarehouseBasketKind;
  minSupport: number;
  minConfidence: number;
  minLift: number;
  maxLength: number;
  /** How many rules to return (all are counted in `ruleCount`). */
  limit: number;
}

export interface WarehouseRuleList {
  baskets: number;
  items: number;
  itemsets: number;
  ruleCount: number;
  rules: RuleRow[];
}

export async function listWarehouseRules(
  warehouse: Warehouse,
  options: WarehouseRuleOptions,
): Promise<WarehouseRuleList> {
  const baskets = await readWarehouseBaskets(warehouse, options.source);
  const mined = mineAssociationRules(baskets, options);
  return {
    baskets: baskets.basketCount,
    items: baskets.itemNames.length,
    itemsets: mined.itemsets.size,
    ruleCount: mined.rules.length,
    rules: mined.rules.slice(0, options.limit).map(ruleToRow),
  };
}
