// The KPI explorer in a real headless Chromium, against a real server over the generated demo
// warehouse: the table shows exactly what /api/kpi answers (values by their labels, numbers as
// formatted on screen), the question lives in the URL, only the metric's dimensions are offered, an
// impossible combination shows the API's own message, and the language switch relabels everything.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatNumber, type Lang } from '../../web/src/i18n/index.ts';
import {
  fitBreakdown,
  formatBreakdown,
  kpiApiPath,
  parseBreakdown,
  withDimension,
} from '../../web/src/pages/kpi-breakdown.ts';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

interface KpiAnswer {
  metric: { name: string; label: { zh: string; en: string }; unit: string };
  grain: string | null;
  dimensions: string[];
  rows: Record<string, unknown>[];
}
interface ApiProblem {
  error: { code: string; message: string; hint?: string };
}
interface Catalogue {
  dimensions: {
    name: string;
    label: { zh: string; en: string };
    values: { value: string; label?: { zh: string; en: string } }[];
  }[];
}
interface Metrics {
  metrics: { name: string; label: { zh: string; en: string }; dimensions: string[] }[];
}

async function api<T>(dashboard: Dashboard, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(dashboard.url + path);
  return { status: response.status, body: (await response.json()) as T };
}

/** The table's cells as shown, row by row. */
function tableCells(page: Page): Promise<string[][]> {
  return page.$$eval('[data-testid=data-table] tbody tr', (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim())),
  );
}

/** What the table must show for an answer: the period, each dimension value by its label, the formatted value. */
function expectedCells(answer: KpiAnswer, catalogue: Catalogue, lang: Lang): string[][] {
  const label = (dimension: string, value: unknown) =>
    catalogue.dimensions.find((d) => d.name === dimension)?.values.find((v) => v.value === value)?.label?.[lang] ??
    String(value);
  // A column shows the same decimals on every row: two when any value has a fraction.
  const digits = answer.rows.some((r) => typeof r.value === 'number' && !Number.isInteger(r.value)) ? 2 : 0;
  return answer.rows.map((row) => [
    ...(answer.grain ? [String(row[answer.grain])] : []),
    ...answer.dimensions.map((d) => label(d, row[d])),
    typeof row.value === 'number' ? formatNumber(row.value, answer.metric.unit, lang, digits) : '',
  ]);
}

/** Waits until the table shows `expected` (answers arrive asynchronously), then compares for a readable diff. */
async function assertTable(page: Page, expected: string[][], message: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let shown = await tableCells(page);
  while (Date.now() < deadline && JSON.stringify(shown) !== JSON.stringify(expected)) {
    await sleep(100);
    shown = await tableCells(page);
  }
  assert.equal(shown.length, expected.length, `${message}: row count`);
  assert.deepEqual(shown, expected, message);
}

const search = (page: Page) => new URL(page.url()).searchParams;

describe('KPI explorer: the question in the URL', () => {
  test('`by` reads as written, a grain apart from the dimensions', () => {
    assert.deepEqual(parseBreakdown('week,plan,service'), { grain: 'week', dims: ['plan', 'service'] });
    assert.deepEqual(parseBreakdown('plan'), { dims: ['plan'] });
    assert.deepEqual(parseBreakdown(null), { dims: [] });
    // A second grain is kept as a dimension, so the API can say what is wrong with it.
    assert.deepEqual(parseBreakdown('day,week'), { grain: 'day', dims: ['week'] });
    assert.equal(formatBreakdown({ grain: 'month', dims: ['county'] }), 'month,county');
    assert.equal(formatBreakdown({ dims: [] }), undefined);
  });

  test('switching metric keeps what still fits; clearing the first dimension moves the second up', () => {
    assert.deepEqual(fitBreakdown({ grain: 'day', dims: ['service', 'plan'] }, ['month', 'plan', 'county']), {
      grain: undefined,
      dims: ['plan'],
    });
    assert.deepEqual(withDimension({ dims: ['plan', 'service'] }, 0, undefined), {
      grain: undefined,
      dims: ['service'],
    });
    assert.deepEqual(withDimension({ dims: ['plan'] }, 1, 'plan'), { grain: undefined, dims: ['plan'] });
    assert.deepEqual(withDimension({ grain: 'week', dims: ['plan'] }, 1, 'service'), {
      grain: 'week',
      dims: ['plan', 'service'],
    });
  });

  test('the API path carries breakdown, range and filters', () => {
    const path = kpiApiPath({
      metric: 'orders',
      breakdown: { grain: 'week', dims: ['channel'] },
      from: '2026-03-01',
      filters: { county: '源城,东源', brand: undefined },
    });
    const url = new URL(path, 'http://x');
    assert.equal(url.pathname, '/api/kpi/orders');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      by: 'week,channel',
      from: '2026-03-01',
      county: '源城,东源',
    });
  });
});

describe('KPI explorer page in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  let catalogue: Catalogue;
  before(async () => {
    dashboard = await startDashboard();
    catalogue = (await api<Catalogue>(dashboard, '/api/dimensions')).body;
  });
  after(async () => {
    await dashboard?.close();
  });

  test('a bookmarked question shows the API answer as a chart and a table, values by their labels', async () => {
    const { page, errors } = await dashboard.open('/kpi?metric=penetration&by=plan,service');
    const answer = (await api<KpiAnswer>(dashboard, '/api/kpi/penetration?by=plan,service')).body;
    assert.ok(answer.rows.length > 5, `${answer.rows.length} rows from the API`);
    const expected = expectedCells(answer, catalogue, 'zh');
    await assertTable(page, expected, 'penetration by plan and service');
    // Labels, not codes: the plan column shows plan names (the API rows carry plan ids).
    const planIds = new Set(answer.rows.map((r) => String(r.plan)));
    assert.ok(
      expected.every((row) => !planIds.has(row[0]!)),
      'plan cells are names, not ids',
    );
    assert.match(expected[0]![2]!, /%$/, 'penetration is shown as a percentage');
    const headers = (await page.locator('[data-testid=data-table] th').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers, ['套餐', '业务', '普及率']);
    assert.equal(await page.locator('select[name=metric]').inputValue(), 'penetration');
    assert.equal(await page.locator('select[name=breakdown-1]').inputValue(), 'plan');
    assert.equal(await page.locator('select[name=breakdown-2]').inputValue(), 'service');
    assert.match((await page.locator('[data-testid=metric-description]').textContent()) ?? '', /比率/);
    assert.ok((await page.locator('[data-testid=chart] canvas').count()) >= 1, 'chart canvas');
    // Reloading the URL gives the same view.
    await page.reload();
    await waitForResults(page);
    await assertTable(page, expected, 'after reload');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the explorer is in the navigation after the overview, and a bare /kpi shows a daily trend', async () => {
    const { page, errors } = await dashboard.open('/');
    const links = await page.locator('nav a').allTextContents();
    assert.deepEqual(links.slice(0, 2), ['总览', '指标查询']);
    assert.ok(links.indexOf('指标查询') < links.indexOf('业务指标分析'), 'before the analysis section');
    await page.click('[data-testid="nav-/kpi"]');
    await waitForResults(page, '[data-testid=page-kpi-explorer]');
    assert.equal(await page.locator('.topbar h1').textContent(), '指标查询');
    const answer = (await api<KpiAnswer>(dashboard, '/api/kpi/subscribers?by=day')).body;
    await assertTable(page, expectedCells(answer, catalogue, 'zh'), 'default: subscribers by day');
    assert.ok((await page.locator('[data-testid=chart] canvas').count()) >= 1, 'chart canvas');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('changing the metric, a dimension, the grain or a filter changes the URL and the numbers', async () => {
    const { page, errors } = await dashboard.open('/kpi?metric=penetration&by=plan,service');
    const penetration = expectedCells(
      (await api<KpiAnswer>(dashboard, '/api/kpi/penetration?by=plan,service')).body,
      catalogue,
      'zh',
    );
    await assertTable(page, penetration, 'penetration');

    // Another metric with the same dimensions keeps the breakdown.
    await page.selectOption('select[name=metric]', 'service_subscribers');
    await page.waitForFunction(
      () => new URL(window.location.href).searchParams.get('metric') === 'service_subscribers',
    );
    assert.equal(search(page).get('by'), 'plan,service');
    const holders = expectedCells(
      (await api<KpiAnswer>(dashboard, '/api/kpi/service_subscribers?by=plan,service')).body,
      catalogue,
      'zh',
    );
    assert.notDeepEqual(holders, penetration);
    await assertTable(page, holders, 'service subscribers by plan and service');

    // Dropping the second dimension.
    await page.selectOption('select[name=breakdown-2]', '');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('by') === 'plan');
    const byPlan = (await api<KpiAnswer>(dashboard, '/api/kpi/service_subscribers?by=plan')).body;
    await assertTable(page, expectedCells(byPlan, catalogue, 'zh'), 'service subscribers by plan');

    // A time grain: a line over weeks, one series per plan.
    await page.selectOption('select[name=breakdown-grain]', 'week');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('by') === 'week,plan');
    const weekly = (await api<KpiAnswer>(dashboard, '/api/kpi/service_subscribers?by=week,plan')).body;
    await assertTable(page, expectedCells(weekly, catalogue, 'zh'), 'service subscribers by week and plan');

    // A filter of the shared filter bar narrows the numbers and goes to the URL too.
    const county = catalogue.dimensions.find((d) => d.name === 'county')!.values[0]!.value;
    await page.selectOption('select[name=county]', county);
    await page.waitForFunction((c) => new URL(window.location.href).searchParams.get('county') === c, county);
    const filtered = (
      await api<KpiAnswer>(dashboard, `/api/kpi/service_subscribers?by=week,plan&county=${encodeURIComponent(county)}`)
    ).body;
    assert.notDeepEqual(filtered.rows, weekly.rows);
    await assertTable(page, expectedCells(filtered, catalogue, 'zh'), `… in ${county}`);

    // A metric with other dimensions: only its own are offered, and those it lacks leave the URL.
    const metrics = (await api<Metrics>(dashboard, '/api/metrics')).body.metrics;
    const activeUsers = metrics.find((m) => m.name === 'active_users')!;
    await page.selectOption('select[name=metric]', 'active_users');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('metric') === 'active_users');
    const offered = await page
      .locator('select[name=breakdown-1] option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    assert.deepEqual(
      offered,
      activeUsers.dimensions.filter((d) => !['day', 'week', 'month'].includes(d)),
    );
    assert.ok(offered.includes('tenure_band') && !offered.includes('service'), offered.join());
    assert.equal(search(page).get('by'), 'week,plan', 'active users know plan and week');
    await page.selectOption('select[name=breakdown-1]', 'tenure_band');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('by') === 'week,tenure_band');
    const tenure = (
      await api<KpiAnswer>(dashboard, `/api/kpi/active_users?by=week,tenure_band&county=${encodeURIComponent(county)}`)
    ).body;
    await assertTable(page, expectedCells(tenure, catalogue, 'zh'), 'active users by week and tenure band');

    // A metric that lacks a chosen dimension: the rest of the question is kept, that dimension goes.
    await page.selectOption('select[name=metric]', 'penetration');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('metric') === 'penetration');
    assert.equal(search(page).get('by'), 'week', 'penetration knows no tenure band');
    const weeklyPenetration = (
      await api<KpiAnswer>(dashboard, `/api/kpi/penetration?by=week&county=${encodeURIComponent(county)}`)
    ).body;
    await assertTable(page, expectedCells(weeklyPenetration, catalogue, 'zh'), 'penetration by week');

    // No breakdown at all: one number, shown as a headline; `by` leaves the URL but the metric stays.
    await page.selectOption('select[name=breakdown-grain]', '');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('by'));
    assert.equal(search(page).get('metric'), 'penetration');
    const total = (await api<KpiAnswer>(dashboard, `/api/kpi/penetration?county=${encodeURIComponent(county)}`)).body;
    assert.equal(total.rows.length, 1);
    const headline = (metric: string) => page.locator(`[data-testid=headline-${metric}] .headline-value`);
    await headline('penetration').waitFor({ timeout: 20_000 });
    assert.equal(
      await headline('penetration').textContent(),
      formatNumber(total.rows[0]!.value as number, 'ratio', 'zh'),
    );

    // A filter the next metric does not know leaves the URL with the metric change; the others stay.
    await page.selectOption('select[name=brand]', 'mzone');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('brand') === 'mzone');
    await page.selectOption('select[name=metric]', 'calls_12580');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('metric') === 'calls_12580');
    assert.equal(search(page).get('brand'), null, 'calls_12580 knows no brand');
    assert.equal(search(page).get('county'), county);
    const calls = (await api<KpiAnswer>(dashboard, `/api/kpi/calls_12580?county=${encodeURIComponent(county)}`)).body;
    await headline('calls_12580').waitFor({ timeout: 20_000 });
    assert.equal(
      await headline('calls_12580').textContent(),
      formatNumber(calls.rows[0]!.value as number, 'count', 'zh'),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an impossible combination shows the API message and hint, and the page stays usable', async () => {
    const { page } = await dashboard.open('/kpi?metric=orders&by=channel');
    const impossible = await api<ApiProblem>(dashboard, '/api/kpi/orders?by=channel,plan');
    assert.equal(impossible.status, 400);
    await page.selectOption('select[name=breakdown-2]', 'plan');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('by') === 'channel,plan');
    const error = page.locator('[data-testid=error]');
    await error.waitFor({ timeout: 20_000 });
    assert.equal(
      ((await page.locator('[data-testid=error-message]').textContent()) ?? '').trim(),
      impossible.body.error.message,
    );
    if (impossible.body.error.hint) {
      assert.equal(
        ((await page.locator('[data-testid=error-hint]').textContent()) ?? '').trim(),
        impossible.body.error.hint,
      );
    }
    assert.match((await error.textContent()) ?? '', /无法按所选维度/);
    assert.equal(await page.locator('[data-testid=data-table]').count(), 0, 'no stale table under the error');
    // The controls are still there: going back to one dimension answers again.
    await page.selectOption('select[name=breakdown-2]', '');
    await waitForResults(page);
    const byChannel = (await api<KpiAnswer>(dashboard, '/api/kpi/orders?by=channel')).body;
    await assertTable(page, expectedCells(byChannel, catalogue, 'zh'), 'orders by channel');
    assert.equal(await error.count(), 0);
    await page.close();
  });

  test('the language switch turns metric, dimension and value labels to English and back', async () => {
    const { page, errors } = await dashboard.open('/kpi?metric=penetration&by=plan,service');
    const answer = (await api<KpiAnswer>(dashboard, '/api/kpi/penetration?by=plan,service')).body;
    await assertTable(page, expectedCells(answer, catalogue, 'zh'), 'Chinese');
    const metricOption = page.locator('select[name=metric] option[value=penetration]');
    assert.equal(await metricOption.textContent(), '普及率');
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.locator('.topbar h1').textContent(), 'KPI explorer');
    assert.equal(await metricOption.textContent(), 'Penetration');
    const headers = (await page.locator('[data-testid=data-table] th').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers, ['Plan', 'Service', 'Penetration']);
    await assertTable(page, expectedCells(answer, catalogue, 'en'), 'English');
    assert.match((await page.locator('[data-testid=metric-description]').textContent()) ?? '', /ratio/);
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.locator('.topbar h1').textContent(), '指标查询');
    assert.equal(await metricOption.textContent(), '普及率');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
