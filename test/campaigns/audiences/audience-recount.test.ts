// Audience sizes on the generated demo operator, recounted from the detail tables (subscribers, bills,
// the opening subscriptions and the orders, signalling and cells) by SQL written independently of the
// compiler and of the derived tables it reads (subscriber_facts, subscriptions, the aggregates).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileAudience, previewAudience } from '../../../src/campaigns/audiences/index.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../../analysis/demo-warehouse.ts';

let fixture: DemoFixture;
let w: Warehouse;
before(async () => {
  fixture = await demoFixture();
  w = await fixture.open();
  await w.run(`CREATE TEMP TABLE recount_day AS
    SELECT max(d) AS day FROM (SELECT max(CAST(ts AS DATE)) AS d FROM orders UNION ALL SELECT max(CAST(ts AS DATE)) FROM sms
      UNION ALL SELECT max(CAST(ts AS DATE)) FROM wap UNION ALL SELECT max(CAST(ts AS DATE)) FROM ivr
      UNION ALL SELECT max(CAST(ts AS DATE)) FROM signalling)`);
  // Active on the day, with age and tenure and the latest bill up to it.
  await w.run(`CREATE TEMP TABLE recount_people AS
    SELECT u.*, year(r.day) - u.birth_year AS age, date_diff('month', u.activated_on, r.day) AS tenure,
           (SELECT b.total_fee FROM billing b WHERE b.msisdn = u.msisdn AND b.month <= r.day ORDER BY b.month DESC LIMIT 1) AS bill
    FROM subscribers u, recount_day r
    WHERE u.activated_on <= r.day AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= r.day)`);
  // Holdings on the day: the last subscribe/unsubscribe up to the day's end is a subscribe.
  await w.run(`CREATE TEMP TABLE recount_held AS
    WITH events AS (
      SELECT msisdn, service_id, CAST(subscribed_on AS TIMESTAMP) AS ts, 1 AS subscribe FROM subscriptions_opening
      UNION ALL SELECT msisdn, service_id, ts, CASE WHEN action = 'subscribe' THEN 1 ELSE 0 END FROM orders
    )
    SELECT msisdn, service_id FROM events, recount_day r WHERE CAST(ts AS DATE) <= r.day
    GROUP BY msisdn, service_id HAVING arg_max(subscribe, (ts, subscribe)) = 1`);
  await w.run(`CREATE TEMP TABLE recount_area AS
    SELECT s.msisdn, c.area_type FROM signalling s JOIN cells c USING (cell_id) GROUP BY s.msisdn, s.cell_id, c.area_type
    QUALIFY row_number() OVER (PARTITION BY s.msisdn ORDER BY count(*) DESC, s.cell_id) = 1`);
});
after(() => {
  w?.close();
  fixture?.remove();
});

async function size(definition: unknown): Promise<number> {
  const { sql, params } = compileAudience(definition);
  return w.scalar(`SELECT count(*) FROM (${sql})`, params);
}

async function topServices(): Promise<[string, string]> {
  const rows = await w.all<{ service_id: string }>(
    'SELECT service_id FROM recount_held GROUP BY service_id ORDER BY count(*) DESC, service_id LIMIT 2',
  );
  return [rows[0]!.service_id, rows[1]!.service_id];
}

test('the demo has a day and people to count', async () => {
  assert.ok((await w.scalar('SELECT count(*) FROM recount_people')) > 1000);
  assert.equal(await size({ all: [] }), await w.scalar('SELECT count(*) FROM recount_people'));
});

test('brand and age', async () => {
  const expected = await w.scalar(`SELECT count(*) FROM recount_people WHERE brand = 'mzone' AND age < 25`);
  assert.ok(expected > 0);
  assert.equal(
    await size({
      all: [
        { attribute: 'brand', in: ['mzone'] },
        { attribute: 'age', between: [null, 25] },
      ],
    }),
    expected,
  );
});

test('county and ARPU of the latest bill', async () => {
  const expected = await w.scalar(`SELECT count(*) FROM recount_people WHERE county = '源城' AND bill >= 50`);
  assert.ok(expected > 0);
  assert.equal(
    await size({
      all: [
        { attribute: 'county', in: ['源城'] },
        { attribute: 'arpu', between: [50, null] },
      ],
    }),
    expected,
  );
});

test('holds one service and lacks another (an association rule)', async () => {
  const [a, b] = await topServices();
  const expected = await w.scalar(
    `SELECT count(*) FROM recount_people p WHERE p.msisdn IN (SELECT msisdn FROM recount_held WHERE service_id = ?)
       AND p.msisdn NOT IN (SELECT msisdn FROM recount_held WHERE service_id = ?)`,
    [a, b],
  );
  assert.ok(expected > 0);
  assert.equal(await size({ all: [{ holds: a }, { lacks: b }] }), expected);
  assert.equal(await size({ rule: { lhs: [a], rhs: [b] } }), expected);
});

test('area type of the most-seen cell, or not', async () => {
  const campus = await w.scalar(
    `SELECT count(*) FROM recount_people WHERE msisdn IN (SELECT msisdn FROM recount_area WHERE area_type = 'campus')`,
  );
  const all = await w.scalar('SELECT count(*) FROM recount_people');
  assert.ok(campus > 0);
  assert.equal(await size({ attribute: 'area_type', in: ['campus'] }), campus);
  assert.equal(await size({ not: { attribute: 'area_type', in: ['campus'] } }), all - campus);
});

test('tenure or brand, and not gender', async () => {
  const expected = await w.scalar(
    `SELECT count(*) FROM recount_people WHERE (tenure < 12 OR brand = 'gotone') AND NOT gender = 'F'`,
  );
  assert.ok(expected > 0);
  assert.equal(
    await size({
      all: [
        {
          any: [
            { attribute: 'tenure_months', between: [null, 12] },
            { attribute: 'brand', in: ['gotone'] },
          ],
        },
        { not: { attribute: 'gender', in: ['F'] } },
      ],
    }),
    expected,
  );
});

test('cancelled within the last 14 days', async () => {
  const service = await w.one<{ service_id: string }>(
    `SELECT service_id FROM orders WHERE action = 'unsubscribe' GROUP BY service_id ORDER BY count(*) DESC, service_id LIMIT 1`,
  );
  const expected = await w.scalar(
    `SELECT count(DISTINCT o.msisdn) FROM orders o, recount_day r WHERE o.action = 'unsubscribe' AND o.service_id = ?
       AND CAST(o.ts AS DATE) > r.day - 14 AND CAST(o.ts AS DATE) <= r.day
       AND o.msisdn IN (SELECT msisdn FROM recount_people)`,
    [service!.service_id],
  );
  assert.ok(expected > 0);
  assert.equal(await size({ cancelled: service!.service_id, withinDays: 14 }), expected);
});

test('the preview adds up to the size, by county and by brand', async () => {
  const definition = {
    any: [
      { attribute: 'brand', in: ['mzone'] },
      { attribute: 'arpu', between: [100, null] },
    ],
  };
  const preview = await previewAudience(w, definition);
  assert.equal(preview.size, await size(definition));
  const byCounty = await w.all<{ county: string; n: number }>(
    `SELECT county, count(*) AS n FROM recount_people WHERE brand = 'mzone' OR bill >= 100 GROUP BY county ORDER BY n DESC, county`,
  );
  assert.deepEqual(
    preview.byCounty,
    byCounty.map((r) => ({ county: r.county, subscribers: Number(r.n) })),
  );
  assert.equal(
    preview.byBrand.reduce((a, b) => a + b.subscribers, 0),
    preview.size,
  );
});

test('the facts fast path (no asOf) and the dated path agree on the data’s last day', async () => {
  const day = (await w.one<{ d: string }>('SELECT CAST(day AS VARCHAR) AS d FROM recount_day'))!.d;
  const [a, b] = await topServices();
  const definitions: unknown[] = [
    { all: [{ holds: a }, { lacks: b }] },
    { rule: { lhs: [a], rhs: [b] } },
    { usage: 'sms_out', withinDays: 7, between: [3, null] },
    { usage: 'vas_events', withinDays: 30, between: [null, 2] },
    { not: { usage: 'wap_visits', withinDays: 30, between: [1, 10] } },
    {
      all: [
        { segment: 'age_band', in: ['<25'] },
        { attribute: 'tenure_months', between: [12, null] },
      ],
    },
  ];
  for (const definition of definitions) {
    const fast = await size(definition);
    const { sql, params } = compileAudience(definition, { asOf: day });
    const dated = await w.scalar(`SELECT count(*) FROM (${sql})`, params);
    assert.equal(fast, dated, JSON.stringify(definition));
  }
  assert.ok((await size({ usage: 'sms_out', withinDays: 7, between: [3, null] })) > 0);
});
