// Every figure of the profile recounted from the detail tables (billing, orders, the opening balance,
// sms, wap, ivr, crbt) for a few demo subscribers chosen for what they have to show.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CustomerProfile, readCustomerProfile } from '../../src/customers/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { customerFixture, interestingSubscribers } from './customer-fixture.ts';

const clock = fixedClock('2026-04-01T02:00:00Z');

describe('customer profile recounted from the detail tables', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let chosen: Record<string, string>;
  before(async () => {
    ({ fixture, warehouse } = await customerFixture());
    chosen = await interestingSubscribers(warehouse);
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });

  const windowOf = (p: CustomerProfile) => {
    const to = p.asOf;
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    return [from, to] as const;
  };

  test('profile, bills and tenure', async () => {
    for (const msisdn of Object.values(chosen)) {
      const p = await readCustomerProfile(warehouse, msisdn, { clock });
      const u = (await warehouse.one<{ brand: string; county: string; plan_id: string; months: number }>(
        `SELECT s.brand, s.county, s.plan_id, date_diff('month', s.activated_on, CAST(? AS DATE)) AS months
         FROM subscribers s WHERE msisdn = ?`,
        [p.asOf, msisdn],
      ))!;
      assert.equal(p.msisdn, msisdn);
      assert.equal(p.brand.code, u.brand);
      assert.equal(p.county.zh, u.county);
      assert.equal(p.plan.id, u.plan_id);
      assert.equal(p.tenure.months, Number(u.months));
      const bills = await warehouse.all<{ month: string; total: number }>(
        `SELECT strftime(month, '%Y-%m') AS month, CAST(total_fee AS DOUBLE) AS total FROM billing
         WHERE msisdn = ? ORDER BY month DESC LIMIT 6`,
        [msisdn],
      );
      assert.deepEqual(
        p.arpu.months.map((m) => [m.month, m.totalYuan]),
        bills.reverse().map((b) => [b.month, b.total]),
        `${msisdn} bills`,
      );
      assert.equal(p.arpu.latestYuan, bills.at(-1)?.total ?? null);
    }
  });

  test('services held, orders, cancellations and trials', async () => {
    let trials = 0;
    for (const msisdn of Object.values(chosen)) {
      const p = await readCustomerProfile(warehouse, msisdn, { clock });
      const orders = await warehouse.all<{ service_id: string; day: string; action: string }>(
        `SELECT service_id, CAST(CAST(ts AS DATE) AS VARCHAR) AS day, action FROM orders WHERE msisdn = ? ORDER BY ts`,
        [msisdn],
      );
      const opening = await warehouse.all<{ service_id: string; day: string }>(
        `SELECT service_id, CAST(subscribed_on AS VARCHAR) AS day FROM subscriptions_opening WHERE msisdn = ?`,
        [msisdn],
      );
      const key = (service: string, day: string | null) => `${service}@${day}`;
      assert.deepEqual(
        p.services.filter((s) => !s.fromOpening).map((s) => key(s.serviceId, s.startedOn)),
        orders.filter((o) => o.action === 'subscribe').map((o) => key(o.service_id, o.day)),
        `${msisdn} orders`,
      );
      assert.deepEqual(
        p.services
          .filter((s) => s.fromOpening)
          .map((s) => key(s.serviceId, s.startedOn))
          .sort(),
        opening.map((o) => key(o.service_id, o.day)).sort(),
        `${msisdn} opening balance`,
      );
      assert.deepEqual(
        p.services
          .filter((s) => s.endedOn !== null)
          .map((s) => key(s.serviceId, s.endedOn))
          .sort(),
        orders
          .filter((o) => o.action === 'unsubscribe')
          .map((o) => key(o.service_id, o.day))
          .sort(),
        `${msisdn} cancellations`,
      );
      const [from, to] = windowOf(p);
      const cancels = orders.filter((o) => o.action === 'unsubscribe' && o.day >= from && o.day <= to).length;
      if (cancels > 0) assert.ok(p.churn.reasons.some((r) => r.zh.includes(`退订 ${cancels} 项业务`)));
      for (const s of p.services.filter((x) => x.trial && x.trialEndsOn)) {
        const uses = await usesBetween(warehouse, msisdn, s.serviceId, s.startedOn, s.trialEndsOn!, true);
        assert.equal(s.trialUses, uses, `${msisdn} ${s.serviceId} uses in the trial`);
        assert.match(s.summary.zh, uses > 0 ? /试用期内使用/ : /试用期内未使用/);
        trials++;
      }
    }
    assert.ok(trials > 0, 'a trial was recounted');
  });

  test('use per service and activity over the last 30 days', async () => {
    for (const msisdn of Object.values(chosen)) {
      const p = await readCustomerProfile(warehouse, msisdn, { clock });
      const [from, to] = windowOf(p);
      for (const u of p.usage)
        assert.equal(
          u.events,
          await usesBetween(warehouse, msisdn, u.serviceId, from, to, false),
          `${msisdn} ${u.serviceId}`,
        );
      const counts = (await warehouse.one<{ sms_out: number; ivr: number; wap: number; complaints: number }>(
        `SELECT
           (SELECT count(*) FROM sms WHERE msisdn = $1 AND kind IN ('p2p_mo', 'sp_mo') AND CAST(ts AS DATE) BETWEEN $2 AND $3) AS sms_out,
           (SELECT count(*) FROM ivr WHERE msisdn = $1 AND CAST(ts AS DATE) BETWEEN $2 AND $3) AS ivr,
           (SELECT count(*) FROM wap WHERE msisdn = $1 AND CAST(ts AS DATE) BETWEEN $2 AND $3) AS wap,
           (SELECT count(*) FROM ivr WHERE msisdn = $1 AND access_code = '10086' AND menu LIKE 'complaint%'
              AND CAST(ts AS DATE) BETWEEN $2 AND $3) AS complaints`,
        [msisdn, from, to],
      ))!;
      assert.equal(p.activity30d.smsOut, Number(counts.sms_out), `${msisdn} SMS sent`);
      assert.equal(p.activity30d.ivrCalls, Number(counts.ivr), `${msisdn} IVR calls`);
      assert.equal(p.activity30d.wapVisits, Number(counts.wap), `${msisdn} WAP visits`);
      const complaintReason = p.churn.reasons.find((r) => r.zh.includes('投诉'));
      if (Number(counts.complaints) > 0) assert.ok(complaintReason?.zh.includes(`投诉 ${counts.complaints} 次`));
      else assert.equal(complaintReason, undefined);
    }
    const busy = await readCustomerProfile(warehouse, chosen.busy!, { clock });
    assert.ok(busy.usage.some((u) => u.events > 0));
    const complainer = await readCustomerProfile(warehouse, chosen.complainer!, { clock });
    assert.ok(complainer.churn.reasons.some((r) => r.en.includes('10086')));
  });

  test('the share of SMS contacts on other networks', async () => {
    const msisdn = chosen.offnet!;
    const p = await readCustomerProfile(warehouse, msisdn, { clock });
    const [from, to] = windowOf(p);
    const peers = (await warehouse.one<{ p2p: number; offnet: number }>(
      `SELECT count(*) AS p2p, count(*) FILTER (o.msisdn IS NULL) AS offnet
       FROM sms m LEFT JOIN subscribers o ON o.msisdn = m.peer
       WHERE m.msisdn = ? AND m.kind IN ('p2p_mo', 'p2p_mt') AND CAST(m.ts AS DATE) BETWEEN ? AND ?`,
      [msisdn, from, to],
    ))!;
    const share = Math.round((100 * Number(peers.offnet)) / Number(peers.p2p));
    assert.ok(share > 30);
    assert.ok(
      p.churn.reasons.some((r) => r.zh === `短信联系人中 ${share}% 是异网号码`),
      JSON.stringify(p.churn.reasons),
    );
  });
});

/** Own uses of a service from the raw feeds, as the aggregates define them (pushed content excluded). */
async function usesBetween(
  warehouse: Warehouse,
  msisdn: string,
  service: string,
  from: string,
  to: string,
  toExclusive: boolean,
): Promise<number> {
  const upTo = toExclusive ? 'CAST(ts AS DATE) < CAST($4 AS DATE)' : 'CAST(ts AS DATE) <= CAST($4 AS DATE)';
  const within = `msisdn = $1 AND CAST(ts AS DATE) >= CAST($3 AS DATE) AND ${upTo}`;
  return warehouse.scalar(
    `SELECT
       (SELECT count(*) FILTER (kind = 'sp_mo') + count(*) FILTER (forwarded) FROM sms WHERE ${within} AND service_id = $2)
     + (SELECT count(*) FROM wap WHERE ${within} AND service_id = $2)
     + (SELECT count(*) FROM ivr WHERE ${within} AND access_code = $2)
     + (SELECT count(*) FROM crbt WHERE ${within} AND $2 IN (SELECT service_id FROM services WHERE category = 'crbt'))`,
    [msisdn, service, from, to],
  );
}
