// Campaigns issue 13: the demo campaigns' answer files (orders only, on the days after the data)
// must not stretch the overview. The default period ends at the last complete day, so the headline
// is the same with and without them; the campaign days stay queryable and are listed as incomplete.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runAnalysis } from '../../src/analysis/index.ts';
import { runDemoCampaigns } from '../../src/campaigns/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { loadDimensionCatalogue, queryMetric } from '../../src/metrics/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

let fixture: DemoFixture;
let warehouse: Warehouse;
let responsesDir: string;

before(async () => {
  fixture = await demoFixture();
  warehouse = await fixture.open();
  responsesDir = mkdtempSync(join(tmpdir(), 'telmark-demo-campaigns-'));
});

after(() => {
  warehouse?.close();
  fixture?.remove();
  rmSync(responsesDir, { recursive: true, force: true });
});

const activeRate = (result: Awaited<ReturnType<typeof runAnalysis>>) =>
  result.headlines?.find((h) => h.key === 'active_rate')?.value;

test('after the demo campaigns the overview keeps its default period and active rate', async () => {
  const without = await runAnalysis(warehouse, 'overview');
  const kpiWithout = await queryMetric(warehouse, 'active_rate', {});
  const made = await runDemoCampaigns(warehouse, { demoDir: responsesDir, channels: defaultConfig.channels });
  assert.ok(made, 'the demo campaigns were made');

  const catalogue = await loadDimensionCatalogue(warehouse);
  // The campaign answers were loaded: there are days after the data, and they are incomplete.
  assert.ok(catalogue.lastDay! > without.to, `campaign days loaded (last day ${catalogue.lastDay})`);
  assert.equal(catalogue.lastCompleteDay, without.to);
  assert.ok(catalogue.incompleteDays.length > 0);
  assert.ok(catalogue.incompleteDays.every((day) => day > without.to));

  const withCampaigns = await runAnalysis(warehouse, 'overview');
  assert.equal(withCampaigns.from, without.from);
  assert.equal(withCampaigns.to, without.to);
  assert.ok(activeRate(without)! > 0.4, `active rate ${activeRate(without)}`);
  assert.equal(activeRate(withCampaigns), activeRate(without));
  const kpiWith = await queryMetric(warehouse, 'active_rate', {});
  assert.equal(kpiWith.to, kpiWithout.to);
  assert.deepEqual(kpiWith.rows, kpiWithout.rows);

  // Asked for, the incomplete days are served.
  const stretched = await runAnalysis(warehouse, 'overview', { to: catalogue.lastDay! });
  assert.equal(stretched.to, catalogue.lastDay);
  const late = await runAnalysis(warehouse, 'overview', { from: catalogue.incompleteDays[0]! });
  assert.equal(late.to, catalogue.lastDay, 'a period that starts after the complete days runs to the last day');

  // A second run finds them and does nothing.
  assert.equal(await runDemoCampaigns(warehouse, { demoDir: responsesDir, channels: defaultConfig.channels }), null);
});
