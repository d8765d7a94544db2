// Every KPI and analysis figure checked against an independent recount made straight from the
// detail tables (orders, subscribers, billing, ivr, sms, crbt, …), never from the aggregates.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AnalysisResult, runAnalysis } from '../../src/analysis/index.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from './demo-warehouse.ts';

const close = (actual: unknown, expected: number, what: string) =>
  assert.ok(
    Math.abs(Number(actual) - expected) < 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );

function toMap(rows: Record<string, unknown>[], key: string, value = 'value'): Map<string, number> {
  return new Map(rows.map((r) => [String(r[key]), Number(r[value])]));
}

function section(result: AnalysisResult, id: string) {
  const found = result.sections.find((s) => s.id === id);
  assert.ok(found, `section ${id}`);
  return found;
}

describe('KPIs against a recount from the detail tables', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let lastDay: string;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    lastDay = String((await warehouse.one('SELECT CAST(max(day) AS VARCHAR) AS d FROM agg_area_day'))!.d);
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });
  const kpi = async (name: string, by: string[], filters: Record<string, string[]> = {}) =>
    (await queryMetric(warehouse, name, { by, filters })).rows;

  test('orders and cancellations by service and by channel', async () => {
    const orders = toMap(await kpi('orders', ['service']), 'service');
    const recount = await warehouse.all(
      `SELECT service_id, count(*) FILTER (WHERE action = 'subscribe') AS o, count(*) FILTER (WHERE action = 'unsubscribe') AS c
       FROM orders GROUP BY 1`,
    );
    for (const r of recount) assert.equal(orders.get(String(r.service_id)), Number(r.o), `orders of ${r.service_id}`);
    const cancels = toMap(await kpi('cancellations', ['service']), 'service');
    for (const r of recount) assert.equal(cancels.get(String(r.service_id)), Number(r.c), `cancels of ${r.service_id}`);
    const byChannel = toMap(await kpi('cancellations', ['channel'], { brand: ['mzone'] }), 'channel');
    const channelRecount = await warehouse.all(
      `SELECT o.channel, count(*) AS n FROM orders o JOIN subscribers u USING (msisdn)
       WHERE o.action = 'unsubscribe' AND u.brand = 'mzone' GROUP BY 1`,
    );
    for (const r of channelRecount) assert.equal(byChannel.get(String(r.channel)), Number(r.n));
    const [net] = await kpi('net_adds', []);
    assert.equal(
      net!.value,
      recount.reduce((s, r) => s + Number(r.o) - Number(r.c), 0),
    );
  });

  test('subscribers, closures and churn rate from the subscriber snapshot', async () => {
    const subscribers = toMap(await kpi('subscribers', ['county']), 'county');
    const snapshot = await warehouse.all<{
      county: string;
      brand: string;
      status: string;
      activated_on: string;
      status_changed_on: string;
      plan_id: string;
    }>(
      `SELECT county, brand, status, plan_id, CAST(activated_on AS VARCHAR) AS activated_on, CAST(status_changed_on AS VARCHAR) AS status_changed_on FROM subscribers`,
    );
    const onLastDay = snapshot.filter(
      (u) =>
        u.activated_on <= lastDay &&
        !((u.status === 'closed' || u.status === 'suspended') && u.status_changed_on <= lastDay),
    );
    const expected = new Map<string, number>();
    for (const u of onLastDay) expected.set(u.county, (expected.get(u.county) ?? 0) + 1);
    assert.deepEqual(subscribers, expected);
    const byPlan = toMap(await kpi('subscribers', ['plan']), 'plan');
    for (const plan of new Set(onLastDay.map((u) => u.plan_id))) {
      assert.equal(byPlan.get(plan), onLastDay.filter((u) => u.plan_id === plan).length, `plan ${plan}`);
    }
    const firstDay = String((await warehouse.one('SELECT CAST(min(day) AS VARCHAR) AS d FROM agg_area_day'))!.d);
    const closures = snapshot.filter(
      (u) => u.status === 'closed' && u.status_changed_on >= firstDay && u.status_changed_on <= lastDay,
    ).length;
    assert.equal((await kpi('closures', []))[0]!.value, closures);
    close((await kpi('churn_rate', []))[0]!.value, closures / (onLastDay.length + closures), 'churn rate');
  });

  test('service holders and penetration by replaying the opening balance and the orders', async () => {
    const opening = await warehouse.all<{ msisdn: string; service_id: string }>(
      'SELECT msisdn, service_id FROM subscriptions_opening',
    );
    const orders = await warehouse.all<{ msisdn: string; service_id: string; action: string }>(
      `SELECT msisdn, service_id, action FROM orders WHERE CAST(ts AS DATE) <= CAST(? AS DATE) ORDER BY ts, action DESC`,
      [lastDay],
    );
    const held = new Set(opening.map((o) => `${o.msisdn}|${o.service_id}`));
    for (const o of orders) {
      if (o.action === 'subscribe') held.add(`${o.msisdn}|${o.service_id}`);
      else held.delete(`${o.msisdn}|${o.service_id}`);
    }
    const perService = new Map<string, number>();
    for (const key of held) {
      const service = key.split('|')[1]!;
      perService.set(service, (perService.get(service) ?? 0) + 1);
    }
    const rows = await kpi('penetration', ['service']);
    const subscribers = Number((await kpi('subscribers', []))[0]!.value);
    for (const r of rows) {
      assert.equal(r.holders, perService.get(String(r.service)), `holders of ${r.service}`);
      close(r.value, (perService.get(String(r.service)) ?? 0) / subscribers, `penetration of ${r.service}`);
    }
  });

  test('daily active users from every usage record', async () => {
    const [row] = await kpi('active_users', [], { brand: ['gotone'] });
    const recount = await warehouse.one(
      `WITH used AS (
         SELECT CAST(ts AS DATE) AS day, msisdn FROM sms WHERE kind IN ('p2p_mo', 'sp_mo') OR (service_id IS NOT NULL AND forwarded)
         UNION SELECT CAST(ts AS DATE), msisdn FROM ivr
         UNION SELECT CAST(ts AS DATE), msisdn FROM wap
         UNION SELECT CAST(ts AS DATE), msisdn FROM crbt
       )
       SELECT count(*) / count(DISTINCT day) AS avg_daily FROM used JOIN subscribers u USING (msisdn) WHERE u.brand = 'gotone'`,
    );
    close(row!.value, Number(recount!.avg_daily), 'daily active gotone users');
  });

  test('ARPU and VAS revenue per brand from the bills', async () => {
    const bills = await warehouse.all<{ brand: string; total_fee: number; vas_fee: number }>(
      'SELECT u.brand, b.total_fee, b.vas_fee FROM billing b JOIN subscribers u USING (msisdn)',
    );
    const arpu = toMap(await kpi('arpu', ['brand']), 'brand');
    const vas = toMap(await kpi('vas_revenue', ['brand']), 'brand');
    for (const brand of new Set(bills.map((b) => b.brand))) {
      const mine = bills.filter((b) => b.brand === brand);
      close(arpu.get(brand), mine.reduce((s, b) => s + b.total_fee, 0) / mine.length, `ARPU ${brand}`);
      close(
        vas.get(brand),
        mine.reduce((s, b) => s + b.vas_fee, 0),
        `VAS revenue ${brand}`,
      );
    }
  });

  test('12580 effect views count the IVR calls of each county and brand', async () => {
    const result = await runAnalysis(warehouse, 'effect', {});
    const recount = await warehouse.all(
      `SELECT u.county, u.brand, count(*) AS n FROM ivr i JOIN subscribers u USING (msisdn) WHERE i.access_code = '12580' GROUP BY ALL`,
    );
    const byCounty = new Map<string, number>();
    for (const r of recount) byCounty.set(String(r.county), (byCounty.get(String(r.county)) ?? 0) + Number(r.n));
    const shown = new Map<string, number>();
    for (const r of section(result, 'county-month').rows)
      shown.set(String(r.county), (shown.get(String(r.county)) ?? 0) + Number(r.calls_12580));
    assert.deepEqual(shown, byCounty);
    const brandTotal = section(result, 'brand-month').rows.reduce((s, r) => s + Number(r.calls_12580), 0);
    assert.equal(
      brandTotal,
      recount.reduce((s, r) => s + Number(r.n), 0),
    );
  });

  test('activity measures: ringback-tone changes and news forwards', async () => {
    const result = await runAnalysis(warehouse, 'activity', {});
    const rows = new Map(section(result, 'services').rows.map((r) => [String(r.service), r]));
    const changes = Number((await warehouse.one(`SELECT count(*) AS n FROM crbt WHERE action = 'change'`))!.n);
    close(rows.get('crbt')!.measure, changes / Number(rows.get('crbt')!.holders), 'ringback-tone change rate');
    const news = await warehouse.one(
      `SELECT count(*) FILTER (WHERE forwarded) AS f, count(*) FILTER (WHERE kind = 'sp_mt') AS mt FROM sms WHERE service_id = 'news'`,
    );
    close(rows.get('news')!.measure, Number(news!.f) / Number(news!.mt), 'news forward rate');
  });

  test('cancellation rate per order channel by following each order to its cancellation', async () => {
    const result = await runAnalysis(warehouse, 'channels', {});
    const shown = new Map(section(result, 'order-channel-cancel-rate').rows.map((r) => [String(r.channel), r]));
    const orders = await warehouse.all<{ msisdn: string; service_id: string; action: string; channel: string }>(
      'SELECT msisdn, service_id, action, channel FROM orders ORDER BY ts, action DESC',
    );
    const opening = await warehouse.all<{ msisdn: string; service_id: string }>(
      'SELECT msisdn, service_id FROM subscriptions_opening',
    );
    const open = new Map<string, string>(opening.map((o) => [`${o.msisdn}|${o.service_id}`, '(opening)']));
    const counts = new Map<string, { orders: number; cancelled: number }>();
    for (const o of orders) {
      const key = `${o.msisdn}|${o.service_id}`;
      if (o.action === 'subscribe') {
        if (open.has(key)) continue;
        open.set(key, o.channel);
        const c = counts.get(o.channel) ?? { orders: 0, cancelled: 0 };
        c.orders++;
        counts.set(o.channel, c);
      } else if (open.has(key)) {
        const counted = counts.get(open.get(key)!);
        if (counted) counted.cancelled++;
        open.delete(key);
      }
    }
    for (const [channel, c] of counts) {
      assert.equal(shown.get(channel)?.orders, c.orders, `orders via ${channel}`);
      assert.equal(shown.get(channel)?.cancelled, c.cancelled, `cancelled via ${channel}`);
    }
  });
});
