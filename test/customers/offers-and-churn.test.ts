// Offers and churn risk from stored models when there are some, the rule-based fallback when there are
// none (its share recounted from subscriptions and subscribers), and the live facts of a running
// stream when one is given.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readCustomerProfile } from '../../src/customers/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { describeLiveSubscriber } from '../../src/stream/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { harness, stationRules } from '../stream/stream-fixtures.ts';
import { customerFixture, interestingSubscribers } from './customer-fixture.ts';

const clock = fixedClock('2026-04-01T02:00:00Z');

describe('offers, churn risk and live facts', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let msisdn: string;
  before(async () => {
    ({ fixture, warehouse } = await customerFixture());
    msisdn = (await interestingSubscribers(warehouse)).busy!;
    await warehouse.run('DELETE FROM mining_models');
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });

  test('without stored models: offers of the peers (share recounted), churn from the reasons', async () => {
    const p = await readCustomerProfile(warehouse, msisdn, { clock });
    assert.equal(p.churn.source, 'rules');
    assert.equal(p.churn.score, null);
    assert.ok(p.offers.length > 0);
    const held = new Set(p.services.filter((s) => s.held).map((s) => s.serviceId));
    for (const offer of p.offers) {
      assert.equal(offer.source, 'rules');
      assert.ok(!held.has(offer.serviceId), 'never offers what is held');
      const counts = (await warehouse.one<{ holders: number; base: number }>(
        `SELECT
           (SELECT count(*) FROM subscriptions s JOIN subscribers u USING (msisdn)
            WHERE u.brand = $1 AND u.county = $2 AND s.service_id = $3
              AND s.started_on <= CAST($4 AS DATE) AND (s.ended_on IS NULL OR s.ended_on > CAST($4 AS DATE))) AS holders,
           (SELECT count(*) FROM subscribers u WHERE u.brand = $1 AND u.county = $2 AND u.activated_on <= CAST($4 AS DATE)
              AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= CAST($4 AS DATE))) AS base`,
        [p.brand.code, p.county.zh, offer.serviceId, p.asOf],
      ))!;
      const share = Math.round((100 * Number(counts.holders)) / Number(counts.base));
      assert.equal(offer.reason.zh, `${p.county.zh}的${p.brand.label.zh}客户中 ${share}% 订有此业务`);
    }
  });

  test('with stored models: the latest churn score and the cross-sell offers with a rule in words', async () => {
    const before = await readCustomerProfile(warehouse, msisdn, { clock });
    const held = before.services.filter((s) => s.held).map((s) => s.serviceId);
    assert.ok(held.length > 0, 'the subscriber holds a service');
    const open = ['crbt', 'news', '12580', 'im', 'music', 'game', 'video', 'portal'].filter((s) => !held.includes(s));
    await warehouse.run(
      `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json) VALUES
         ('churn-old', 'churn', 'gbdt', TIMESTAMP '2026-03-30 01:00:00', 1, 0.7, 0.6, 'test', '{}'),
         ('churn-new', 'churn', 'gbdt', TIMESTAMP '2026-03-31 01:00:00', 1, 0.8, 0.6, 'test', '{}'),
         ('xsell-1', 'cross-sell', 'gbdt+rules', TIMESTAMP '2026-03-31 01:00:00', 1, 0.7, NULL, 'test', '{}')`,
    );
    await warehouse.run(
      `INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES (?, 0.02, 'churn-old'), (?, 0.31, 'churn-new')`,
      [msisdn, msisdn],
    );
    await warehouse.run(
      `INSERT INTO mining_offers (msisdn, offer_rank, service_id, score, propensity, rule_confidence, reason, model_version)
       VALUES (?, 2, ?, 0.3, 0.25, 0, 'p', 'xsell-1'), (?, 1, ?, 0.5, 0.4, 0.45, 'r', 'xsell-1')`,
      [msisdn, open[1]!, msisdn, open[0]!],
    );
    await warehouse.run(
      `INSERT INTO mining_rules (lhs, rhs, support, confidence, lift, count, model_version)
       VALUES (?, ?, 0.02, 0.45, 2.5, 30, 'xsell-1'), ('nothing-held', ?, 0.02, 0.9, 4, 30, 'xsell-1')`,
      [held[0]!, open[0]!, open[0]!],
    );
    const p = await readCustomerProfile(warehouse, msisdn, { clock });
    assert.deepEqual(
      [p.churn.source, p.churn.level, p.churn.score, p.churn.modelVersion],
      ['model', 'high', 0.31, 'churn-new'],
    );
    assert.deepEqual(
      p.offers.map((o) => [o.rank, o.serviceId, o.source, o.modelVersion]),
      [
        [1, open[0], 'model', 'xsell-1'],
        [2, open[1], 'model', 'xsell-1'],
      ],
    );
    const heldName = before.services.find((s) => s.serviceId === held[0])!.label.zh;
    assert.match(p.offers[0]!.reason.zh, new RegExp(`订有${heldName}的客户中 45% 也订了`));
    assert.match(p.offers[1]!.reason.zh, /模型预测订购可能性 25%/);
  });

  test("today's live facts from a running stream, and none without one", async () => {
    const h = harness(stationRules);
    h.send('2026-03-30 10:12:00', msisdn, 'location_update', '9310-101');
    const live = { factsOf: (m: string) => describeLiveSubscriber(h.engine, m) };
    const p = await readCustomerProfile(warehouse, msisdn, { clock, live });
    assert.ok(p.live?.lines.some((l) => l.zh === '10:12 起在火车站区域'));
    assert.equal((await readCustomerProfile(warehouse, msisdn, { clock })).live, null);
  });
});
