// Every KPI and analysis figure checked against an independent recount made straight from the
// detail tables (orders, subscribers, billing, ivr, sms, crbt, …), never from the aggregates.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AnalysisResult, runAnalysis } from '../../src/analysis/index.ts';
import { END_WINDOW_DAYS } from '../../src/analysis/trial-stickiness-analysis.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from './demo-warehouse.ts';

const close = (actual: unknown, expected: number, what: string) =>
  assert.ok(
    Math.abs(Number(actual) - expected) < 1e-6 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );

function toMap(rows: readonly Record<string, unknown>[], key: string, value = 'value'): Map<string, number> {
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

  /** `msisdn|service` of every subscription open at the end of `day`: the opening balance, then the orders. */
  async function heldAt(day: string): Promise<Set<string>> {
    const opening = await warehouse.all<{ msisdn: string; service_id: string }>(
      'SELECT msisdn, service_id FROM subscriptions_opening',
    );
    const orders = await warehouse.all<{ msisdn: string; service_id: string; action: string }>(
      `SELECT msisdn, service_id, action FROM orders WHERE CAST(ts AS DATE) <= CAST(? AS DATE) ORDER BY ts, action DESC`,
      [day],
    );
    const held = new Set(opening.map((o) => `${o.msisdn}|${o.service_id}`));
    for (const o of orders) {
      if (o.action === 'subscribe') held.add(`${o.msisdn}|${o.service_id}`);
      else held.delete(`${o.msisdn}|${o.service_id}`);
    }
    return held;
  }

  /** Every own use of a service in the detail feeds, one row per record with the events it counts. */
  const serviceUsesSql = `
    SELECT msisdn, service_id, CAST(ts AS DATE) AS day, CAST(kind = 'sp_mo' AS INTEGER) + CAST(forwarded AS INTEGER) AS events
    FROM sms WHERE service_id IS NOT NULL AND (kind = 'sp_mo' OR forwarded)
    UNION ALL SELECT msisdn, service_id, CAST(ts AS DATE), 1 FROM wap WHERE service_id IS NOT NULL
    UNION ALL SELECT i.msisdn, s.service_id, CAST(i.ts AS DATE), 1 FROM ivr i JOIN services s ON s.service_id = i.access_code
    UNION ALL SELECT c.msisdn, (SELECT min(service_id) FROM services WHERE category = 'crbt'), CAST(c.ts AS DATE), 1 FROM crbt c`;

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
    const held = await heldAt(lastDay);
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

  test('daily active users and active rate by tenure and age band, bands worked out here', async () => {
    const used = await warehouse.all<{ day: string; activated_on: string; birth_year: number; n: number }>(
      `WITH used AS (
         SELECT CAST(ts AS DATE) AS day, msisdn FROM sms WHERE kind IN ('p2p_mo', 'sp_mo') OR (service_id IS NOT NULL AND forwarded)
         UNION SELECT CAST(ts AS DATE), msisdn FROM ivr
         UNION SELECT CAST(ts AS DATE), msisdn FROM wap
         UNION SELECT CAST(ts AS DATE), msisdn FROM crbt
       )
       SELECT CAST(day AS VARCHAR) AS day, CAST(u.activated_on AS VARCHAR) AS activated_on, u.birth_year, count(*) AS n
       FROM used JOIN subscribers u USING (msisdn) GROUP BY ALL`,
    );
    const days = new Set(used.map((u) => u.day)).size;
    const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
    const tenure = (months: number) =>
      months < 6 ? '<6m' : months < 12 ? '6-12m' : months < 24 ? '1-2y' : months < 60 ? '2-5y' : '5y+';
    const age = (years: number) =>
      years < 25 ? '<25' : years < 35 ? '25-34' : years < 45 ? '35-44' : years < 55 ? '45-54' : '55+';
    const byTenure = new Map<string, number>();
    const byAge = new Map<string, number>();
    for (const u of used) {
      const t = tenure(monthIndex(u.day) - monthIndex(u.activated_on));
      byTenure.set(t, (byTenure.get(t) ?? 0) + Number(u.n) / days);
      const a = age(Number(u.day.slice(0, 4)) - u.birth_year);
      byAge.set(a, (byAge.get(a) ?? 0) + Number(u.n) / days);
    }
    const shownTenure = toMap(await kpi('active_users', ['tenure_band']), 'tenure_band');
    assert.deepEqual([...shownTenure.keys()].sort(), [...byTenure.keys()].sort());
    for (const [band, n] of byTenure) close(shownTenure.get(band), n, `active users, tenure ${band}`);
    const shownAge = toMap(await kpi('active_users', ['age_band']), 'age_band');
    for (const [band, n] of byAge) close(shownAge.get(band), n, `active users, age ${band}`);
    // The rate's denominator: subscribers on each day, averaged, in the same bands.
    const rates = await kpi('active_rate', ['tenure_band']);
    for (const r of rates) {
      close(Number(r.users_active), byTenure.get(String(r.tenure_band)) ?? 0, `rate numerator ${r.tenure_band}`);
      assert.ok(Number(r.value) > 0 && Number(r.value) < 1, `active rate ${r.tenure_band} = ${r.value}`);
    }
  });

  test('activity: active and dormant holders and 12580 callers over a part of the month', async () => {
    const firstDay = String((await warehouse.one('SELECT CAST(min(day) AS VARCHAR) AS d FROM agg_area_day'))!.d);
    const plus = (date: string, n: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [plus(firstDay, 4), plus(firstDay, 19)];
    const result = await runAnalysis(warehouse, 'activity', { from, to });
    const rows = new Map(section(result, 'services').rows.map((r) => [String(r.service), r]));
    const held = await heldAt(to);
    const usedRows = await warehouse.all<{ msisdn: string; service_id: string }>(
      `SELECT DISTINCT msisdn, service_id FROM (${serviceUsesSql}) WHERE day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
      [from, to],
    );
    const used = new Set(usedRows.map((u) => `${u.msisdn}|${u.service_id}`));
    const expected = new Map<string, { active: number; dormant: number }>();
    for (const key of held) {
      const service = key.split('|')[1]!;
      const e = expected.get(service) ?? { active: 0, dormant: 0 };
      if (used.has(key)) e.active++;
      else e.dormant++;
      expected.set(service, e);
    }
    for (const [service, e] of expected) {
      assert.equal(rows.get(service)?.active_holders, e.active, `active holders of ${service}`);
      assert.equal(rows.get(service)?.dormant_holders, e.dormant, `dormant holders of ${service}`);
    }
    const calls = await warehouse.one(
      `SELECT count(*) AS calls, count(DISTINCT msisdn) AS callers FROM ivr
       WHERE access_code = '12580' AND CAST(ts AS DATE) BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
      [from, to],
    );
    close(rows.get('12580')!.measure, Number(calls!.calls) / Number(calls!.callers), '12580 calls per caller');
  });

  test('tariff: holders, penetration and use per holder of each plan and service', async () => {
    const result = await runAnalysis(warehouse, 'tariff', {});
    const shown = new Map(section(result, 'plan-service').rows.map((r) => [`${r.plan}|${r.service}`, r]));
    const people = await warehouse.all<{ msisdn: string; plan_id: string; on_last_day: boolean }>(
      `SELECT msisdn, plan_id, activated_on <= CAST(? AS DATE)
         AND NOT (status IN ('closed', 'suspended') AND status_changed_on <= CAST(? AS DATE)) AS on_last_day
       FROM subscribers`,
      [lastDay, lastDay],
    );
    const planOf = new Map(people.map((p) => [p.msisdn, p.plan_id]));
    const planSize = new Map<string, number>();
    for (const p of people) if (p.on_last_day) planSize.set(p.plan_id, (planSize.get(p.plan_id) ?? 0) + 1);
    const holders = new Map<string, number>();
    for (const key of await heldAt(lastDay)) {
      const [msisdn, service] = key.split('|');
      const cell = `${planOf.get(msisdn!)}|${service}`;
      holders.set(cell, (holders.get(cell) ?? 0) + 1);
    }
    const uses = await warehouse.all<{ plan_id: string; service_id: string; events: number }>(
      `SELECT u.plan_id, x.service_id, sum(x.events) AS events FROM (${serviceUsesSql}) x JOIN subscribers u USING (msisdn) GROUP BY ALL`,
    );
    const eventsOf = new Map(uses.map((u) => [`${u.plan_id}|${u.service_id}`, Number(u.events)]));
    assert.equal(shown.size, holders.size, 'one row per plan and service held');
    for (const [cell, n] of holders) {
      const row = shown.get(cell);
      assert.equal(row?.holders, n, `holders ${cell}`);
      close(row?.penetration, n / planSize.get(cell.split('|')[0]!)!, `penetration ${cell}`);
      close(row?.usage_per_holder, (eventsOf.get(cell) ?? 0) / n, `use per holder ${cell}`);
    }
  });

  test('composition: brand mix of the people seen in each kind of area on the last signalling day', async () => {
    const result = await runAnalysis(warehouse, 'composition', {});
    const recount = await warehouse.all<{ area_type: string; brand: string; n: number }>(
      `SELECT c.area_type, u.brand, count(DISTINCT s.msisdn) AS n
       FROM signalling s JOIN cells c USING (cell_id) JOIN subscribers u USING (msisdn)
       WHERE CAST(s.ts AS DATE) = (SELECT max(CAST(ts AS DATE)) FROM signalling) GROUP BY ALL`,
    );
    assert.ok(recount.length > 0, 'the demo has signalling');
    const shown = new Map(section(result, 'brand-by-area-type').rows.map((r) => [`${r.area_type}|${r.brand}`, r]));
    assert.equal(shown.size, recount.length);
    for (const r of recount) assert.equal(shown.get(`${r.area_type}|${r.brand}`)?.subscribers, Number(r.n));
  });

  test('trial stickiness: uses during each trial recounted from the feeds, against cancelling at its end', async () => {
    const result = await runAnalysis(warehouse, 'trial-stickiness', {});
    const shown = new Map(section(result, 'usage-vs-cancel').rows.map((r) => [`${r.service}|${r.group}`, r]));
    const firstDay = String((await warehouse.one('SELECT CAST(min(day) AS VARCHAR) AS d FROM agg_area_day'))!.d);
    const trials = await warehouse.all<{ service_id: string; uses: number; at_end: boolean }>(
      `WITH uses AS (${serviceUsesSql})
       SELECT s.service_id,
              (SELECT coalesce(sum(x.events), 0) FROM uses x WHERE x.msisdn = s.msisdn AND x.service_id = s.service_id
                 AND x.day >= s.started_on AND x.day < s.trial_ends_on) AS uses,
              coalesce(abs(date_diff('day', s.trial_ends_on, s.ended_on)) <= ?, false) AS at_end
       FROM subscriptions s
       WHERE s.trial AND s.trial_ends_on > CAST(? AS DATE) AND s.trial_ends_on + ? <= CAST(? AS DATE)`,
      [END_WINDOW_DAYS, firstDay, END_WINDOW_DAYS, lastDay],
    );
    assert.ok(trials.length > 0, 'the demo has trials ending in the window');
    const expected = new Map<string, { trials: number; cancelled: number; uses: number }>();
    for (const t of trials) {
      const key = `${t.service_id}|${Number(t.uses) > 0 ? 'used' : 'not used'}`;
      const e = expected.get(key) ?? { trials: 0, cancelled: 0, uses: 0 };
      e.trials++;
      if (t.at_end) e.cancelled++;
      e.uses += Number(t.uses);
      expected.set(key, e);
    }
    assert.deepEqual([...shown.keys()].sort(), [...expected.keys()].sort());
    for (const [key, e] of expected) {
      assert.equal(shown.get(key)!.trials, e.trials, `trials ${key}`);
      assert.equal(shown.get(key)!.cancelled_at_end, e.cancelled, `cancelled at the end ${key}`);
      close(shown.get(key)!.usage_per_trial, e.uses / e.trials, `uses per trial ${key}`);
    }
  });

  test('the other KPIs: activations, trial and unconfirmed orders, cancellation rate, VAS ARPU, service users, 12580 by area', async () => {
    const firstDay = String((await warehouse.one('SELECT CAST(min(day) AS VARCHAR) AS d FROM agg_area_day'))!.d);
    const one = async (sql: string, params: (string | number)[] = []) =>
      Number(Object.values((await warehouse.one(sql, params))!)[0]);
    assert.equal(
      (await kpi('activations', []))[0]!.value,
      await one('SELECT count(*) FROM subscribers WHERE activated_on BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)', [
        firstDay,
        lastDay,
      ]),
    );
    assert.equal(
      (await kpi('trial_orders', []))[0]!.value,
      await one(`SELECT count(*) FROM orders WHERE action = 'subscribe' AND trial`),
    );
    assert.equal(
      (await kpi('unconfirmed_orders', []))[0]!.value,
      await one(`SELECT count(*) FROM orders WHERE action = 'subscribe' AND NOT confirmed`),
    );
    const cancelRate = toMap(await kpi('cancel_rate', ['service']), 'service');
    for (const r of await warehouse.all(
      `SELECT service_id, count(*) FILTER (WHERE action = 'unsubscribe') / count(*) FILTER (WHERE action = 'subscribe') AS rate
       FROM orders GROUP BY 1`,
    )) {
      close(cancelRate.get(String(r.service_id)), Number(r.rate), `cancel rate ${r.service_id}`);
    }
    const vasArpu = toMap(await kpi('vas_arpu', ['brand']), 'brand');
    for (const r of await warehouse.all(
      `SELECT u.brand, avg(b.vas_fee) AS v FROM billing b JOIN subscribers u USING (msisdn) GROUP BY 1`,
    )) {
      close(vasArpu.get(String(r.brand)), Number(r.v), `VAS ARPU ${r.brand}`);
    }
    const days = await one('SELECT count(DISTINCT day) FROM agg_area_day');
    const serviceUsers = toMap(await kpi('service_active_rate', ['service']), 'service', 'service_users_active');
    for (const r of await warehouse.all(
      `SELECT service_id, count(*) AS n FROM (SELECT DISTINCT msisdn, service_id, day FROM (${serviceUsesSql})) GROUP BY 1`,
    )) {
      close(serviceUsers.get(String(r.service_id)), Number(r.n) / days, `daily users of ${r.service_id}`);
    }
    const byAreaType = toMap(await kpi('calls_12580', ['area_type']), 'area_type');
    for (const r of await warehouse.all(
      `SELECT c.area_type, count(*) AS n FROM signalling s JOIN cells c USING (cell_id)
       WHERE s.event = 'call_out' AND s.peer = '12580' GROUP BY 1`,
    )) {
      assert.equal(byAreaType.get(String(r.area_type)), Number(r.n), `12580 calls in ${r.area_type}`);
    }
  });

  test('composition: ARPU bands of the subscribers on the last day, from their latest bill', async () => {
    const result = await runAnalysis(warehouse, 'composition', {});
    const shown = toMap(section(result, 'arpu-band').rows, 'arpu_band', 'subscribers');
    const people = await warehouse.all<{ fee: number | null }>(
      `SELECT b.total_fee AS fee FROM subscribers u
       LEFT JOIN billing b ON b.msisdn = u.msisdn AND b.month = (SELECT max(month) FROM billing)
       WHERE u.activated_on <= CAST(? AS DATE)
         AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= CAST(? AS DATE))`,
      [lastDay, lastDay],
    );
    const band = (fee: number | null) =>
      fee === null
        ? 'null'
        : fee < 30
          ? '0-30'
          : fee < 60
            ? '30-60'
            : fee < 100
              ? '60-100'
              : fee < 200
                ? '100-200'
                : '200+';
    const expected = new Map<string, number>();
    for (const p of people) expected.set(band(p.fee), (expected.get(band(p.fee)) ?? 0) + 1);
    assert.deepEqual(shown, expected);
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
