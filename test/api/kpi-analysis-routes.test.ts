import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { rebuildDerived } from '../../src/warehouse/load/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import { testAccess } from '../access/test-access.ts';

describe('KPI and analysis routes on a generated operator', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    app = await buildServer({ warehouse, webRoot: null, access: testAccess });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  test('a KPI with breakdown and filters answers what the metric layer computes', async () => {
    const response = await app.inject('/api/kpi/penetration?by=month,service&county=源城,龙川&brand=mzone');
    assert.equal(response.statusCode, 200);
    const direct = await queryMetric(warehouse, 'penetration', {
      by: ['month', 'service'],
      filters: { county: ['源城', '龙川'], brand: ['mzone'] },
    });
    assert.deepEqual(response.json().rows, direct.rows);
    assert.equal(response.json().metric.unit, 'ratio');
  });

  test('every bad input is a 400 that says what and where', async () => {
    const cases: [string, RegExp, string?][] = [
      ['/api/kpi/orders?by=colour', /unknown dimension "colour"/, 'by[0]'],
      ['/api/kpi/arpu?by=day', /arpu cannot be broken down by day/],
      ['/api/kpi/orders?county=Atlantis', /unknown county "Atlantis"/, 'filters.county'],
      ['/api/kpi/horoscope', /params/],
      ['/api/kpi/orders?from=yesterday', /querystring/],
      ['/api/kpi/orders?colour=red', /querystring/],
      ['/api/analysis/effect?cutover=03-15', /querystring/],
      ['/api/analysis/composition?channel=sms', /cannot be filtered by channel/],
      ['/api/analysis/overview?from=2026-03-20&to=2026-03-10', /after/],
    ];
    for (const [url, message, path] of cases) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 400, url);
      const { error } = response.json();
      assert.equal(error.code, 'INPUT_INVALID', url);
      assert.match(error.message, message, url);
      if (path) assert.equal(error.location.path, path, url);
    }
    const hint = (await app.inject('/api/kpi/orders?county=Atlantis')).json().error.hint;
    assert.match(hint, /源城/);
  });

  test('analyses answer sections of rows with a chart description', async () => {
    const response = await app.inject('/api/analysis/effect?cutover=2026-03-15&grain=month');
    assert.equal(response.statusCode, 200);
    const result = response.json();
    const daily = result.sections.find((s: { id: string }) => s.id === 'daily');
    assert.equal(daily.chart.markX, '2026-03-15');
    assert.ok(daily.rows.length >= 28);
    const list = (await app.inject('/api/analysis')).json();
    assert.ok(list.analyses.some((a: { kind: string }) => a.kind === 'trial-stickiness'));
  });

  test('dimensions list counties under their region, and the OpenAPI document has the routes', async () => {
    const dimensions = (await app.inject('/api/dimensions')).json();
    const county = dimensions.dimensions.find((d: { name: string }) => d.name === 'county');
    assert.ok(county.values.some((v: { value: string; parent: string }) => v.value === '龙川' && v.parent === '河源'));
    assert.match(dimensions.lastDay, /^2026-03-30$/);
    const openapi = (await app.inject('/api/docs/json')).json();
    for (const path of ['/api/kpi/{metric}', '/api/analysis/{kind}', '/api/dimensions', '/api/metrics']) {
      assert.ok(openapi.paths[path], path);
    }
  });

  test('answers are kept until the data changes; the same query in another order is the same answer', async () => {
    const first = await app.inject('/api/kpi/orders?by=week,service&brand=mzone');
    const again = await app.inject('/api/kpi/orders?brand=mzone&by=week,service');
    assert.equal(first.headers['x-telmark-cache'], 'miss');
    assert.equal(again.headers['x-telmark-cache'], 'hit');
    assert.deepEqual(again.json(), first.json());
    const bad = await app.inject('/api/kpi/orders?by=week,service&brand=nosuch');
    assert.equal(bad.statusCode, 400);
    assert.equal((await app.inject('/api/kpi/orders?by=week,service&brand=nosuch')).statusCode, 400);
    // A load that changes the data bumps the version (here: one order fewer, and its rebuild).
    await warehouse.run(
      `DELETE FROM orders WHERE order_id = (SELECT min(order_id) FROM orders o JOIN subscribers u USING (msisdn)
       WHERE u.brand = 'mzone' AND o.action = 'subscribe')`,
    );
    await warehouse.run(`INSERT INTO meta VALUES ('rebuild_all', '1') ON CONFLICT (key) DO UPDATE SET value = '1'`);
    await rebuildDerived(warehouse);
    const after = await app.inject('/api/kpi/orders?by=week,service&brand=mzone');
    assert.equal(after.headers['x-telmark-cache'], 'miss');
    const total = (response: typeof first) =>
      (response.json().rows as { value: number }[]).reduce((sum, r) => sum + r.value, 0);
    assert.equal(total(after), total(first) - 1);
  });

  test('an empty warehouse says how to fill it', async () => {
    const empty = await Warehouse.open(':memory:');
    const emptyApp = await buildServer({ warehouse: empty, webRoot: null, access: testAccess });
    try {
      const response = await emptyApp.inject('/api/analysis/overview');
      assert.equal(response.statusCode, 409);
      assert.equal(response.json().error.code, 'WAREHOUSE_EMPTY');
      assert.match(response.json().error.hint, /telmark load/);
    } finally {
      await emptyApp.close();
      empty.close();
    }
  });
});
