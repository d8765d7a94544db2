import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  compileMetric,
  type DimensionCatalogue,
  knownValuesOf,
  loadDimensionCatalogue,
  metricDefinitions,
  metricsByName,
  queryMetric,
} from '../../src/metrics/index.ts';
import { factSources } from '../../src/metrics/fact-sources.ts';
import type { Formula } from '../../src/metrics/metric-definitions.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { openSmallWarehouse } from './small-warehouse.ts';

describe('metric definitions', () => {
  test('every measure a metric names exists in its source, and every dimension is served by a variant', () => {
    const leaves = (f: Formula): Extract<Formula, { op: 'measure' }>[] =>
      f.op === 'measure' ? [f] : [...leaves(f.left), ...leaves(f.right)];
    for (const metric of metricDefinitions) {
      for (const variant of metric.variants) {
        for (const leaf of leaves(variant)) {
          assert.ok(factSources[leaf.source].measures[leaf.measure], `${metric.name}: ${leaf.source}.${leaf.measure}`);
        }
      }
      for (const dim of metric.dimensions) {
        if (dim === 'day' || dim === 'week' || dim === 'month') continue;
        const served = metric.variants.some((v) => factSources[leaves(v)[0]!.source].dims[dim] !== undefined);
        assert.ok(served, `${metric.name} by ${dim}`);
      }
    }
  });
});

describe('compileMetric', () => {
  let warehouse: Warehouse;
  let catalogue: DimensionCatalogue;
  before(async () => {
    warehouse = await openSmallWarehouse();
    catalogue = await loadDimensionCatalogue(warehouse);
  });
  after(() => warehouse.close());

  const run = async (name: string, request: Parameters<typeof queryMetric>[2]) =>
    (await queryMetric(warehouse, name, request, catalogue)).rows;

  test('a stock is taken on the last day of the period, a flow is summed', async () => {
    assert.deepEqual(await run('subscribers', { by: ['county'] }), [
      { county: '东源', value: 1, subscribers_active: 1 },
      { county: '源城', value: 2, subscribers_active: 2 },
    ]);
    assert.deepEqual(
      (await run('subscribers', { by: ['day'], to: '2026-03-02' })).map((r) => r.value),
      [3, 4],
    );
    assert.deepEqual(await run('orders', { by: ['service'] }), [
      { service: 'crbt', value: 2, orders: 2 },
      { service: 'news', value: 1, orders: 1 },
    ]);
    assert.equal((await run('net_adds', {}))[0]!.value, 2);
  });

  test('penetration divides holders of a service by all subscribers of the area', async () => {
    const rows = await run('penetration', { by: ['service'], to: '2026-03-02' });
    assert.deepEqual(
      rows.map((r) => [r.service, r.value]),
      [
        ['crbt', 2 / 4],
        ['news', 1 / 4],
      ],
    );
    const filtered = await run('penetration', { by: ['county'], filters: { service: ['crbt'] }, to: '2026-03-02' });
    assert.deepEqual(
      filtered.map((r) => [r.county, r.value]),
      [['源城', 1]],
    );
  });

  test('active users are averaged over the days of the period', async () => {
    const [row] = await run('active_users', { filters: { county: ['源城'] } });
    assert.equal(row!.value, (1 + 2 + 1) / 3);
    const [rate] = await run('active_rate', { filters: { county: ['源城'] } });
    assert.equal(rate!.value, 4 / 3 / 2);
  });

  test('dimensions the aggregates lack pick another source: channel, plan, ARPU band', async () => {
    assert.deepEqual(
      (await run('orders', { by: ['channel'] })).map((r) => [r.channel, r.value]),
      [
        ['hotline', 0],
        ['sms', 2],
        ['wap', 1],
      ],
    );
    assert.deepEqual(
      (await run('subscribers', { by: ['plan'] })).map((r) => [r.plan, r.value]),
      [
        ['P1', 2],
        ['P2', 1],
      ],
    );
    assert.deepEqual(
      (await run('arpu', { by: ['month', 'arpu_band'] })).map((r) => [r.month, r.arpu_band, r.value]),
      [
        ['2026-03-01', '0-30', 20],
        ['2026-03-01', '30-60', 40],
        ['2026-03-01', '100-200', 120],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  test('bad requests come back as problems with paths, and values never enter the SQL text', () => {
    const known = knownValuesOf(catalogue);
    const result = compileMetric(
      metricsByName.get('orders')!,
      { by: ['arpu_band', 'month', 'week', 'colour'], filters: { county: ["x' OR 1=1 --"] }, from: '2026-13-01' },
      known,
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.problems.map((p) => p.path),
      ['by[0]', 'by[2]', 'by[3]', 'filters.county', 'from'],
    );
    assert.match(result.problems[3]!.hint ?? '', /源城/);
    const ok = compileMetric(metricsByName.get('orders')!, { filters: { county: ['源城'] } }, known);
    assert.ok(ok.ok && !ok.query.sql.includes('源城') && ok.query.params.includes('源城'));
    const monthly = compileMetric(metricsByName.get('arpu')!, { by: ['week'] }, known);
    assert.equal(monthly.ok, false);
    // Channel and plan live in different tables: the hint says which dimensions go together.
    const apart = compileMetric(metricsByName.get('orders')!, { by: ['channel', 'plan'] }, known);
    assert.ok(!apart.ok && /cannot combine channel, plan/.test(apart.problems[0]!.message));
    assert.ok(!apart.ok && /plan, service.*\| .*channel/.test(apart.problems[0]!.hint ?? ''), 'hint lists the groups');
  });
});
