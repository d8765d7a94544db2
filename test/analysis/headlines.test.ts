// Headline cards on a hand-made warehouse: the comparison periods (previous period of equal length,
// the same period a year before), how each kind of change is expressed, and what a card says when a
// comparison period is missing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveContext } from '../../src/analysis/analysis-context.ts';
import { headlines } from '../../src/analysis/headlines.ts';
import { loadDimensionCatalogue } from '../../src/metrics/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

describe('headlines', () => {
  let warehouse: Warehouse;
  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    // Subscribers a year ago, on the day before, and on the day itself; nothing on 2025-03-01's eve.
    for (const [day, subscribers, active] of [
      ['2025-03-01', 80, 20],
      ['2026-02-28', 90, 45],
      ['2026-03-01', 100, 40],
    ] as const) {
      await warehouse.run(
        `INSERT INTO agg_area_day (day, region, county, brand, subscribers_active, users_active, activations, closures)
         VALUES (?, '河源', '源城', 'gotone', ?, ?, 0, 0)`,
        [day, subscribers, active],
      );
    }
  });
  after(() => warehouse?.close());

  const cards = async (from: string, to: string) => {
    const catalogue = await loadDimensionCatalogue(warehouse);
    const context = resolveContext(warehouse, catalogue, { from, to }, { allowedFilters: [], defaultGrain: 'day' });
    return headlines(context, [
      { key: 'subscribers', metric: 'subscribers', unit: 'count' },
      { key: 'active_rate', metric: 'active_rate', unit: 'ratio' },
    ]);
  };

  test('a count changes relatively, a rate in points, each against a stated period, and year on year', async () => {
    const [subscribers, rate] = await cards('2026-03-01', '2026-03-01');
    assert.equal(subscribers!.value, 100);
    assert.ok(Math.abs(subscribers!.change! - 10 / 90) < 1e-9);
    assert.equal(subscribers!.changeKind, 'relative');
    assert.equal(subscribers!.better, 'up');
    assert.equal(subscribers!.comparison?.zh, '对比上一同长度时段 2026-02-28');
    assert.ok(Math.abs(subscribers!.yearOnYear!.change - 0.25) < 1e-9);
    assert.equal(subscribers!.yearOnYear!.comparison.zh, '同比 2025-03-01');
    // 40 % against 50 %: ten points down, not "-20 %".
    assert.equal(rate!.changeKind, 'points');
    assert.ok(Math.abs(rate!.change! - -0.1) < 1e-9);
    assert.ok(Math.abs(rate!.yearOnYear!.change - (0.4 - 0.25)) < 1e-9);
  });

  test('a missing period is said, not shown as no change', async () => {
    const [first] = await cards('2025-03-01', '2025-03-01');
    assert.equal(first!.change, null);
    assert.match(first!.comparison!.zh, /无对比:仓库数据始于 2025-03-01/);
    assert.equal(first!.yearOnYear, undefined);
    // The day before 2026-02-28 is inside the warehouse's span but holds no data.
    const [gap] = await cards('2026-02-28', '2026-02-28');
    assert.equal(gap!.change, null);
    assert.match(gap!.comparison!.zh, /上一同长度时段 2026-02-27 没有数据/);
  });
});
