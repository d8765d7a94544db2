import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { detectWarehouseAnomalies, listAnomalies } from '../../src/anomalies/index.ts';
import { countyNamesEn } from '../../src/demo/demo-names.ts';
import { plantedPatterns } from '../../src/demo/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

// Alarms other than the planted anomalies over the whole demo month. The demo's slices carry no
// other anomaly, so every one of these is a false alarm; the bound keeps the FDR control honest.
const OTHER_ALARMS_BOUND = 6;

describe('warehouse detectors on the demo operator', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  const clock = fixedClock('2026-04-01T06:00:00Z');

  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
  });
  after(() => {
    warehouse?.close();
    fixture?.remove();
  });

  it('finds each planted anomaly on its day and few other alarms over the month', async () => {
    const run = await detectWarehouseAnomalies(warehouse, { from: '2026-03-01', to: '2026-03-30', clock });
    const burst = plantedPatterns.anomalies.unconfirmedBurst;
    const burstDay = `2026-03-${String(1 + burst.dayOffset).padStart(2, '0')}`;
    const onBurstDay = run.anomalies.filter((a) => a.day === burstDay && a.dimensions.channel === burst.channel);
    assert.ok(
      onBurstDay.some((a) => a.kind === 'unconfirmed_orders' && a.dimensions.service === burst.service),
      `the unconfirmed-order rule fires for ${burst.channel}/${burst.service} on ${burstDay}`,
    );
    assert.ok(
      onBurstDay.some((a) => a.kind === 'deviation' && a.kpi === 'unconfirmed_orders'),
      'unconfirmed orders of the channel deviate from their baseline',
    );
    const jump = plantedPatterns.anomalies.countyCancellationJump;
    const jumpDay = `2026-03-${String(1 + jump.dayOffset).padStart(2, '0')}`;
    const county = run.anomalies.find(
      (a) =>
        a.day === jumpDay && a.kpi === 'cancellations' && a.dimensions.county === jump.county && !a.dimensions.service,
    );
    assert.ok(county, `cancellations in ${jump.county} flagged on ${jumpDay}`);
    assert.equal(county.severity, 'critical');
    assert.match(county.explanation.zh, new RegExp(`${jump.county} 退订量：\\d+，预期`));
    // In English the county goes by its English name from the catalogue.
    assert.match(
      county.explanation.en,
      new RegExp(`cancellations in ${countyNamesEn[jump.county] ?? jump.county}: \\d+ vs expected`),
    );

    const planted = (a: (typeof run.anomalies)[number]) =>
      (a.day === burstDay && (a.dimensions.channel === burst.channel || a.kpi === 'unconfirmed_orders')) ||
      (a.day === jumpDay && a.dimensions.county === jump.county);
    const others = run.anomalies.filter((a) => !planted(a));
    console.log(
      `planted found; ${others.length} other alarms over ${run.from}..${run.to} (${run.slices} slices, ${run.tests} tests):\n${others
        .map((a) => `  ${a.day} ${a.kind} ${a.explanation.en}`)
        .join('\n')}`,
    );
    assert.ok(others.length <= OTHER_ALARMS_BOUND, `${others.length} other alarms, bound ${OTHER_ALARMS_BOUND}`);
  });

  it('stores the findings and replaces them when the same days are judged again', async () => {
    const first = await detectWarehouseAnomalies(warehouse, { from: '2026-03-15', to: '2026-03-25', clock });
    await detectWarehouseAnomalies(warehouse, { from: '2026-03-15', to: '2026-03-25', clock });
    const stored = await listAnomalies(warehouse, { from: '2026-03-15', to: '2026-03-25' });
    assert.equal(stored.length, first.anomalies.length);
    assert.ok(stored.every((a) => a.detectedAt.startsWith('2026-04-01 06:00:00')));
    const critical = await listAnomalies(warehouse, { from: '2026-03-15', to: '2026-03-25', severity: 'critical' });
    assert.ok(critical.length > 0 && critical.every((a) => a.severity === 'critical'));
  });
});
