// Uplift rules on a round's contacted and control subscribers: where the campaign caused the
// response, not just where people responded. The features are the audience attributes as of the
// last loaded day (src/mining/uplift/upliftFeaturesSql), so a found rule is an audience condition
// the rollout can be narrowed to as it is.
import { discoverUpliftRulesInWorker } from '../../mining/models/index.ts';
import { matchesConditions, type UpliftDiscovery, upliftFeaturesSql } from '../../mining/uplift/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { OutcomeRow } from './round-outcomes.ts';
import { type GroupStats, groupStats } from './summarize-round.ts';

export type RoundDiscovery = Omit<UpliftDiscovery, 'leaves'> & {
  /** The whole round split by the rules: inside any rule, and the rest (what narrowing leaves out). */
  byRule: (GroupStats & { part: 'inside rules' | 'outside rules' })[];
};

/**
 * `features`: the round's features read elsewhere (a ClickHouse warehouse:
 * readUpliftFeaturesOnClickHouse); default: read from `warehouse` with upliftFeaturesSql.
 */
export async function discoverRoundRules(
  warehouse: Warehouse,
  rows: readonly OutcomeRow[],
  seed = 1,
  features?: readonly Record<string, string | number | null>[],
): Promise<RoundDiscovery | null> {
  if (rows.length === 0) return null;
  features ??= await warehouse.all<Record<string, string | number | null>>(
    `WITH f AS (${upliftFeaturesSql()}), ids AS (SELECT unnest(string_split(?, ',')) AS msisdn)
     SELECT f.* FROM f JOIN ids USING (msisdn)`,
    [rows.map((r) => r.msisdn).join(',')],
  );
  const byMsisdn = new Map(features.map((f) => [String(f.msisdn), f]));
  // discoverUpliftRules splits its samples at random by position; ordered by msisdn, the same round
  // gives the same rules whatever order the rows came in (the same pilot once gave "age < 25" and then
  // "age < 41" from an unordered query).
  const ordered = [...rows].sort((a, b) => (a.msisdn < b.msisdn ? -1 : a.msisdn > b.msisdn ? 1 : 0));
  const samples = ordered.flatMap((r) => {
    const f = byMsisdn.get(r.msisdn);
    if (!f) return [];
    const { msisdn: _, ...rest } = f;
    return [{ features: rest, treated: r.grp === 'contacted', responded: r.responded_after_days !== null }];
  });
  if (samples.length === 0) return null;
  // On the mining worker: the tree and its held-out checks take seconds on a large pilot, and the
  // server (a campaign evaluated from the dashboard, `npm start`'s demo campaigns) keeps answering.
  const { leaves: _, ...discovery } = await discoverUpliftRulesInWorker(samples, { seed });
  const inside = (r: OutcomeRow) => {
    const f = byMsisdn.get(r.msisdn);
    return f !== undefined && discovery.rules.some((rule) => matchesConditions(rule.conditions, f));
  };
  const byRule: RoundDiscovery['byRule'] = [
    { part: 'inside rules', ...groupStats(rows.filter(inside)) },
    { part: 'outside rules', ...groupStats(rows.filter((r) => !inside(r))) },
  ];
  return { ...discovery, byRule };
}
