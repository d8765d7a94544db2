import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { plantedPatterns } from '../../../src/demo/index.ts';
import { serviceIndex } from '../../../src/demo/demo-catalogue.ts';
import { demoServices } from '../../../src/demo/index.ts';
import { fitChurnModel, fitCrossSellModels, readSubscriberFeatures } from '../../../src/mining/telecom/index.ts';
import { fitServicePropensities, readServiceUptake } from '../../../src/mining/telecom/service-propensity.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { miningDemoWarehouse } from './demo-operator-fixture.ts';

const clock = fixedClock('2026-04-02T08:00:00Z');
const serviceId = (key: keyof typeof serviceIndex) => demoServices[serviceIndex[key]]!.serviceId;

describe('telecom models on the demo operator', () => {
  let fixture: Awaited<ReturnType<typeof miningDemoWarehouse>>;
  let warehouse: Warehouse;
  before(async () => {
    fixture = await miningDemoWarehouse();
    warehouse = await fixture.open();
  });
  after(() => {
    warehouse?.close();
    fixture?.remove();
  });

  it('churn: gradient boosting beats the logistic baseline on held-out accounts and finds the planted drivers', async (t) => {
    const churn = await fitChurnModel(warehouse, { clock });
    t.diagnostic(
      `demo churn: held-out AUC gbdt ${churn.auc.toFixed(3)}, logistic baseline ${churn.baselineAuc.toFixed(3)}`,
    );
    assert.ok(churn.churners > 80, `${churn.churners} churners`);
    assert.ok(churn.auc > churn.baselineAuc, `gbdt ${churn.auc} vs logistic ${churn.baselineAuc}`);
    assert.ok(churn.auc > 0.8, `gbdt AUC ${churn.auc}`);
    const ranking = churn.importance.map((i) => i.feature);
    const rank = (feature: string) => ranking.indexOf(feature);
    // planted drivers: falling usage before the close, calls to 10086, peers on competitors' networks
    assert.ok(
      ['sms_per_day', 'wap_per_day', 'usage_trend'].some((f) => rank(f) < 3),
      ranking.join(', '),
    );
    for (const driver of ['complaint_calls_per_day', 'offnet_sms_share'])
      for (const unplanted of ['age', 'brand', 'gender', 'plan_fee', 'services_held'])
        assert.ok(rank(driver) < rank(unplanted), `${driver} above ${unplanted}: ${ranking.join(', ')}`);
    const stored = await warehouse.all<{ n: number; version: string }>(
      'SELECT count(*)::INTEGER AS n, any_value(model_version) AS version FROM mining_churn_scores',
    );
    assert.equal(stored[0]!.n, churn.scored);
    assert.equal(stored[0]!.version, churn.modelVersion);
    const model = await warehouse.all('SELECT purpose, auc, baseline_auc FROM mining_models WHERE model_version = ?', [
      churn.modelVersion,
    ]);
    assert.equal(model[0]!.purpose, 'churn');
  });

  it('churn trained and scored on the mining worker comes out as on the calling thread', async () => {
    const scoresOf = (version: string) =>
      warehouse.all<{ msisdn: string; score: number }>(
        'SELECT msisdn, score FROM mining_churn_scores WHERE model_version = ? ORDER BY msisdn',
        [version],
      );
    // A single tree keeps it quick; the worker path is the same for every kind.
    const options = { clock, model: 'tree' as const, forceWrite: true };
    const here = await fitChurnModel(warehouse, options);
    const hereScores = await scoresOf(here.modelVersion);
    const onWorker = await fitChurnModel(warehouse, { ...options, inWorker: true });
    assert.equal(onWorker.modelVersion, here.modelVersion);
    assert.equal(onWorker.auc, here.auc);
    assert.equal(onWorker.baselineAuc, here.baselineAuc);
    assert.ok(hereScores.length > 1000, `${hereScores.length} scores`);
    assert.deepEqual(await scoresOf(onWorker.modelVersion), hereScores);
  });

  it('service propensities trained and scored on the mining worker come out as on the calling thread', async () => {
    const subscribers = (await readSubscriberFeatures(warehouse))
      .filter((row) => Number(row.churned) === 0)
      .slice(0, 2000);
    const uptake = await readServiceUptake(warehouse);
    const options = { seed: 3, trees: 20 };
    const here = await fitServicePropensities(subscribers, uptake, options);
    const onWorker = await fitServicePropensities(subscribers, uptake, { ...options, inWorker: true });
    assert.ok(here.length >= 3, `${here.length} services with enough takers`);
    assert.deepEqual(
      onWorker.map((p) => [p.service, p.auc, p.takers]),
      here.map((p) => [p.service, p.auc, p.takers]),
    );
    here.forEach((p, i) => {
      assert.deepEqual(onWorker[i]!.classifier.toJSON(), p.classifier.toJSON());
      assert.deepEqual([...onWorker[i]!.scores], [...p.scores]);
      assert.equal(p.scores.length, subscribers.length);
    });
  });

  it('cross-sell: the planted pairs have the strongest affinity; offers never repeat a held or recently cancelled service', async () => {
    const result = await fitCrossSellModels(warehouse, { clock });
    const planted = plantedPatterns.crossSell.map((p) => [serviceId(p.from), serviceId(p.to)].sort().join('+'));
    const strongest = new Set(result.affinities.slice(0, 6).map((a) => [a.from, a.to].sort().join('+')));
    assert.deepEqual([...strongest].sort(), [...planted].sort());
    for (const pair of plantedPatterns.crossSell) {
      const rule = result.rules.find(
        (r) =>
          r.antecedent.length === 1 &&
          r.antecedent[0] === serviceId(pair.from) &&
          r.consequent[0] === serviceId(pair.to),
      );
      assert.ok(rule && rule.lift > 1.1, `rule ${pair.from} → ${pair.to}`);
    }
    // By plain lift too: the three strongest pairs of services held together are the planted ones.
    const pairLift = new Map<string, number>();
    for (const r of result.rules) {
      if (r.antecedent.length !== 1 || r.consequent.length !== 1) continue;
      const key = [r.antecedent[0], r.consequent[0]].sort().join('+');
      pairLift.set(key, Math.max(pairLift.get(key) ?? 0, r.lift));
    }
    const topByLift = [...pairLift.entries()].sort((a, b) => b[1] - a[1]).slice(0, planted.length);
    assert.deepEqual(topByLift.map(([key]) => key).sort(), [...planted].sort(), JSON.stringify(topByLift));
    assert.ok(result.offers.length > 0);
    const violations = await warehouse.all(
      `WITH bounds AS (SELECT max(day) AS end_day FROM agg_subscriber_day)
       SELECT o.msisdn, o.service_id FROM mining_offers o CROSS JOIN bounds b
       JOIN subscriptions t ON t.msisdn = o.msisdn AND t.service_id = o.service_id
       WHERE o.model_version = ? AND (t.ended_on IS NULL OR t.ended_on > b.end_day - INTERVAL 60 DAY)`,
      [result.modelVersion],
    );
    assert.deepEqual(violations, []);
    const perSubscriber = await warehouse.all<{ n: number }>(
      'SELECT max(n)::INTEGER AS n FROM (SELECT msisdn, count(*) AS n FROM mining_offers GROUP BY msisdn)',
    );
    assert.ok(perSubscriber[0]!.n <= 3);
  });
});
