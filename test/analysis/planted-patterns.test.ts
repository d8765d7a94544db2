// The demo operator's planted patterns must show in the analyses: the trial cohort drop at trial
// end, weekly seasonality, the campus brand mix; and the analyses must honour their filters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AnalysisResult, analysisKinds, runAnalysis } from '../../src/analysis/index.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import { isAppError } from '../../src/shared/errors.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from './demo-warehouse.ts';

function section(result: AnalysisResult, id: string) {
  const found = result.sections.find((s) => s.id === id);
  assert.ok(found, `section ${id}`);
  return found;
}

describe('planted patterns of the demo operator', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });

  test('trial subscriptions drop at the end of the free months, most of all among those who never used them', async () => {
    const result = await runAnalysis(warehouse, 'trial-stickiness', {});
    const aroundEnd = section(result, 'trial-end').rows;
    for (const service of new Set(aroundEnd.map((r) => String(r.service)))) {
      const at = (offset: number) => aroundEnd.find((r) => r.service === service && r.day_offset === offset)!;
      assert.ok(Number(at(-1).retention) > 0.9, `${service} before the end: ${at(-1).retention}`);
      assert.ok(Number(at(0).retention) < 0.6, `${service} at the end: ${at(0).retention}`);
    }
    const cohorts = section(result, 'cohorts').rows;
    const after = cohorts.filter((r) => r.phase === 'after');
    assert.ok(after.length > 0 && after.every((r) => Number(r.retention) < 0.6), 'cohorts lose most after the trial');
    const usage = section(result, 'usage-vs-cancel').rows;
    for (const service of new Set(usage.map((r) => String(r.service)))) {
      const used = usage.find((r) => r.service === service && r.group === 'used');
      const unused = usage.find((r) => r.service === service && r.group === 'not used');
      assert.ok(
        used && unused && Number(used.cancel_rate) < Number(unused.cancel_rate) - 0.3,
        `${service} use vs cancel`,
      );
    }
  });

  test('weekends are busier than weekdays (weekly seasonality)', async () => {
    const rows = (await queryMetric(warehouse, 'active_users', { by: ['day'] })).rows;
    // The last day also carries signalling, which adds calls to the activity: leave it out.
    const days = rows
      .slice(0, -1)
      .map((r) => ({ weekday: new Date(`${r.day}T00:00:00Z`).getUTCDay(), value: Number(r.value) }));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const weekend = mean(days.filter((d) => d.weekday === 0 || d.weekday === 6).map((d) => d.value));
    const weekday = mean(days.filter((d) => d.weekday > 0 && d.weekday < 6).map((d) => d.value));
    assert.ok(weekend > weekday * 1.05, `weekend ${weekend} vs weekday ${weekday}`);
    const calls = section(await runAnalysis(warehouse, 'effect', {}), 'daily').rows;
    const callsOn = (weekend: boolean) =>
      mean(
        calls
          .filter((r) => [0, 6].includes(new Date(`${r.day}T00:00:00Z`).getUTCDay()) === weekend)
          .map((r) => Number(r.calls_12580)),
      );
    assert.ok(callsOn(true) > callsOn(false) * 1.2, '12580 is called more at weekends');
  });

  test('the people seen on campus are mostly M-Zone, unlike the operator as a whole', async () => {
    const result = await runAnalysis(warehouse, 'composition', {});
    const campusMzone = section(result, 'brand-by-area-type').rows.find(
      (r) => r.area_type === 'campus' && r.brand === 'mzone',
    );
    const overall = section(result, 'brand').rows.find((r) => r.brand === 'mzone');
    assert.ok(Number(campusMzone?.share) > 0.6, `campus M-Zone share ${campusMzone?.share}`);
    assert.ok(Number(overall?.share) < 0.3, `overall M-Zone share ${overall?.share}`);
    const young = section(result, 'age').rows.filter((r) => r.age_band === '<25');
    const youngMzone =
      Number(young.find((r) => r.brand === 'mzone')?.subscribers) /
      young.reduce((s, r) => s + Number(r.subscribers), 0);
    assert.ok(youngMzone > 0.4, `M-Zone among the under-25s ${youngMzone}`);
  });

  test('every analysis runs, and a filter changes its numbers', async () => {
    for (const kind of analysisKinds) {
      const result = await runAnalysis(warehouse, kind, {});
      assert.ok(result.sections.length > 0 && result.sections.some((s) => s.rows.length > 0), `${kind} has rows`);
    }
    const all = await runAnalysis(warehouse, 'overview', {});
    const county = await runAnalysis(warehouse, 'overview', { filters: { county: ['龙川'] } });
    const value = (r: AnalysisResult) => r.headlines!.find((h) => h.key === 'subscribers')!.value!;
    assert.ok(value(county) > 0 && value(county) < value(all));
    // Drill-down: regions first, counties once a region is chosen.
    assert.equal(section(all, 'areas').drill?.filter, 'region');
    const region = String(section(all, 'areas').rows[0]!.area);
    const drilled = await runAnalysis(warehouse, 'overview', { filters: { region: [region] } });
    assert.ok(section(drilled, 'areas').rows.some((r) => r.area === '龙川'));
  });

  test('bad requests are refused with what and where', async () => {
    const refusal = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        assert.ok(isAppError(error));
        return error;
      }
      assert.fail('expected an error');
    };
    const unknown = await refusal(runAnalysis(warehouse, 'overview', { filters: { county: ['Atlantis'] } }));
    assert.equal(unknown.code, 'INPUT_INVALID');
    assert.match(unknown.hint ?? '', /源城/);
    const filter = await refusal(runAnalysis(warehouse, 'composition', { filters: { channel: ['sms'] } }));
    assert.equal(filter.location.field, 'channel');
    const kind = await refusal(runAnalysis(warehouse, 'horoscope', {}));
    assert.match(kind.hint ?? '', /trial-stickiness/);
    const date = await refusal(runAnalysis(warehouse, 'effect', { cutover: '2026-02-30x' }));
    assert.equal(date.location.field, 'cutover');
  });
});
