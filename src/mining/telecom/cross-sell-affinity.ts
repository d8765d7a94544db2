// Cross-sell affinity adjusted for who the subscribers are: for each service Y, a logistic model of
// holding Y on the subscriber's profile (brand, age, county, gender, tenure, plan) and the flags of
// the other services held; the affinity X → Y is the odds ratio of held_X. Raw co-holding lift mixes
// cross-sell with shared drivers (young mzone users hold both music and games); this separates them.
import type { Row } from '../../warehouse/index.ts';
import { trainLogistic } from '../linear/logistic-regression.ts';
import { encodeLabelledTable, inferTableSchema } from '../table/index.ts';
import type { ServiceUptake } from './service-propensity.ts';
import { rowsToRawTable } from './warehouse-rows.ts';

export interface CrossSellAffinity {
  from: string;
  to: string;
  /** Odds ratio of holding `to` when holding `from`, profile held equal. */
  oddsRatio: number;
  /** Raw lift: P(to | from) / P(to). */
  lift: number;
  holdersOfBoth: number;
}

const profileColumns = ['msisdn', 'brand', 'gender', 'county', 'age', 'tenure_days', 'plan_fee'];

export function measureCrossSellAffinity(subscribers: readonly Row[], uptake: ServiceUptake): CrossSellAffinity[] {
  const held = (msisdn: unknown, service: string) => (uptake.heldAtStart.get(String(msisdn))?.has(service) ? 1 : 0);
  const affinities: CrossSellAffinity[] = [];
  const n = subscribers.length;
  for (const to of uptake.services) {
    const others = uptake.services.filter((s) => s !== to);
    const rows: Record<string, unknown>[] = subscribers.map((row) => ({
      ...Object.fromEntries(profileColumns.map((c) => [c, row[c]])),
      ...Object.fromEntries(others.map((s) => [`held_${s}`, held(row.msisdn, s)])),
      target: held(row.msisdn, to),
    }));
    const holders = rows.filter((r) => r.target === 1).length;
    if (holders < 10 || n - holders < 10) continue;
    const raw = rowsToRawTable(rows, `holding ${to}`);
    const schema = inferTableSchema(raw, 'target', { positive: '1' });
    const table = encodeLabelledTable(raw, schema);
    const model = trainLogistic(table, table.labels, { l2: 1 });
    for (const from of others) {
      const f = schema.features.findIndex((feature) => feature.name === `held_${from}`);
      if (f === -1) continue;
      const j = model.encoder.columns.findIndex((c) => c.feature === f && c.role === 'value');
      const both = rows.filter((r) => r.target === 1 && r[`held_${from}`] === 1).length;
      const fromHolders = rows.filter((r) => r[`held_${from}`] === 1).length;
      affinities.push({
        from,
        to,
        oddsRatio: Math.exp(model.weights[j]! / model.encoder.columns[j]!.scale!),
        lift: fromHolders && holders ? both / fromHolders / (holders / n) : 0,
        holdersOfBoth: both,
      });
    }
  }
  return affinities.sort((a, b) => b.oddsRatio - a.oddsRatio);
}
