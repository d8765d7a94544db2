// The dashboard as an analyst reads it (issue 17, problems 1–6 and 10), in a real headless Chromium:
// headline cards say what they are and colour a change by good or bad, the grain shown is the grain
// drawn, no raw code in the Chinese pages nor a Chinese place name in the English ones, heatmaps with
// every label, tables never clipped, keyboard sorting and drill-down with a way up, a not-found page,
// API errors in the page's language, and <html lang> following the switch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AnalysisResult } from '../../src/analysis/analysis-result.ts';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

const analysisPages = [
  ['/', 'overview'],
  ['/analysis/kpi', 'kpi'],
  ['/analysis/composition', 'composition'],
  ['/analysis/tariff', 'tariff'],
  ['/analysis/activity', 'activity'],
  ['/analysis/channels', 'channels'],
  ['/analysis/trial-stickiness', 'trial-stickiness'],
  ['/analysis/effect', 'effect'],
] as const;

/** Codes that must never reach the Chinese interface: ids, field names, English words of the data. */
const rawCodes = [
  // service ids (12580 is the service's own name)
  'crbt',
  'news',
  'im',
  'music',
  'game',
  'video',
  'portal',
  // brands, plans, channels, area types, categories
  'gotone',
  'easyown',
  'mzone',
  'GT58',
  'GT88',
  'GT128',
  'EO0',
  'EO10',
  'EO18',
  'MZ18',
  'MZ28',
  'MZ38',
  'OT10',
  'counter',
  'hotline',
  'bundle',
  'station',
  'campus',
  'residential',
  'directory',
  // field names and English words of coded values
  'monthly_bill',
  'arpu_band',
  'tenure_band',
  'age_band',
  'area_type',
  'service_id',
  'plan_id',
  'trial',
  'after',
  'used',
  'not used',
  '6m',
  '5y',
  'period',
];

/** Text of the page as shown, plus every label the charts drew (canvas text is not in the DOM). */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without closed <details>
    const parts = [document.querySelector('main')?.innerText ?? ''];
    for (const element of Array.from(document.querySelectorAll('[data-testid=chart]'))) {
      const chart = (element as unknown as { telmarkChart?: { getOption(): Record<string, unknown> } }).telmarkChart;
      if (!chart) continue;
      const option = chart.getOption() as {
        xAxis?: { data?: unknown[] }[];
        yAxis?: { data?: unknown[] }[];
        series?: { name?: string; data?: unknown[] }[];
      };
      for (const axis of [...(option.xAxis ?? []), ...(option.yAxis ?? [])]) parts.push((axis.data ?? []).join('\n'));
      for (const series of option.series ?? []) {
        parts.push(series.name ?? '');
        for (const item of series.data ?? []) {
          if (item && typeof item === 'object' && 'name' in item) parts.push(String((item as { name: unknown }).name));
        }
      }
    }
    return parts.join('\n');
  });
}

function codesIn(text: string): string[] {
  return rawCodes.filter((code) => new RegExp(`(^|[^A-Za-z_])${code}($|[^A-Za-z_])`).test(text));
}

/** What the tests read from an ECharts instance (its option, and the labels its x axis draws). */
interface DrawnChart {
  getOption(): {
    series?: { type: string }[];
    xAxis: { data: unknown[]; axisLabel?: { hideOverlap?: boolean } }[];
    visualMap: { min: number; max: number }[];
  };
  getModel(): { getComponent(name: string, index: number): { axis: { getViewLabels(): unknown[] } } };
}

async function waitForPage(page: Page, kind: string): Promise<void> {
  await waitForResults(page, `[data-testid=page-${kind}]`);
}

describe('the dashboard as an analyst reads it, in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(dashboard.url + path);
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('headline cards show their definition, and no rate card reads over 100 %', async () => {
    const { page, errors } = await dashboard.open('/analysis/kpi');
    const cards = page.locator('[data-testid=headlines] .headline');
    assert.ok((await cards.count()) >= 5);
    for (const card of await cards.all()) {
      const definition = ((await card.locator('[data-testid=headline-definition]').textContent()) ?? '').trim();
      assert.match(definition, /^口径:.{6,}/, `definition: ${definition}`);
      // The comparison is stated on the card, or once above the cards when it is the same for all.
      const own = card.locator('[data-testid=headline-comparison]');
      const stated =
        (await own.count()) > 0
          ? await own.textContent()
          : await page.locator('[data-testid=headline-comparison-shared]').textContent();
      assert.match(stated ?? '', /对比/);
      const value = (await card.locator('.headline-value').textContent()) ?? '';
      if (value.endsWith('%')) assert.ok(Number(value.replace(/[%,]/g, '')) <= 100, `rate ${value}`);
    }
    // The figures that misled: holders summed over services, cancellations over orders.
    const labels = await page.locator('[data-testid=headlines] .headline-label').allTextContents();
    assert.ok(labels.includes('人均订购业务数'), labels.join(','));
    assert.ok(!labels.includes('普及率') && !labels.includes('退订率'), labels.join(','));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a rise in cancellations is red, rates change in percentage points, the comparison is stated', async () => {
    const { firstDay, lastDay } = await api<{ firstDay: string; lastDay: string }>('/api/dimensions');
    // A single day whose cancellations rose on the day before (the demo has such days).
    let day: string | undefined;
    for (let d = new Date(`${firstDay}T00:00:00Z`).getTime() + 86_400_000; ; d += 86_400_000) {
      const candidate = new Date(d).toISOString().slice(0, 10);
      if (candidate > lastDay) break;
      const result = await api<AnalysisResult>(`/api/analysis/overview?from=${candidate}&to=${candidate}`);
      const cancels = result.headlines?.find((h) => h.key === 'cancellations');
      if ((cancels?.change ?? 0) > 0) {
        day = candidate;
        break;
      }
    }
    assert.ok(day, 'a day with more cancellations than the day before');
    const { page } = await dashboard.open(`/?from=${day}&to=${day}`);
    const cancel = page.locator('[data-testid=headline-cancellations] [data-testid=headline-change]');
    assert.match((await cancel.textContent()) ?? '', /^▲/);
    assert.equal(await cancel.getAttribute('data-verdict'), 'bad');
    assert.equal(await cancel.evaluate((e) => getComputedStyle(e).color), 'rgb(185, 28, 28)');
    // Every card: the colour follows the direction and whether up is good for the business.
    const better: Record<string, string> = {
      subscribers: 'up',
      orders: 'up',
      cancellations: 'down',
      churn_rate: 'down',
    };
    for (const [key, good] of Object.entries(better)) {
      const change = page.locator(`[data-testid=headline-${key}] [data-testid=headline-change]`);
      if ((await change.count()) === 0) continue;
      const text = (await change.textContent()) ?? '';
      if (text.startsWith('＝')) continue;
      const rising = text.startsWith('▲');
      assert.equal(await change.getAttribute('data-verdict'), rising === (good === 'up') ? 'good' : 'bad', key);
    }
    // Rates in percentage points, net adds as a difference (never "▼197 %").
    const rate = page.locator('[data-testid=headline-active_rate] [data-testid=headline-change]');
    assert.match((await rate.textContent()) ?? '', /个百分点/);
    const net = page.locator('[data-testid=headline-net_adds] [data-testid=headline-change]');
    if ((await net.count()) > 0) assert.doesNotMatch((await net.textContent()) ?? '', /%/);
    const previous = new Date(new Date(`${day}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
    assert.match(
      (await page.locator('[data-testid=headline-orders] [data-testid=headline-comparison]').textContent()) ?? '',
      new RegExp(`对比上一同长度时段 ${previous}$`),
    );
    // Bills compare month against month, and say so.
    assert.match(
      (await page.locator('[data-testid=headline-arpu] [data-testid=headline-comparison]').textContent()) ?? '',
      /账单月/,
    );
    await page.close();
  });

  test('the grain shown is the grain drawn; a cut week says so; the 12580 date in use is shown', async () => {
    const { page } = await dashboard.open('/analysis/activity');
    assert.equal(await page.locator('[data-testid=page-activity]').getAttribute('data-grain'), 'week');
    assert.equal(await page.locator('select[name=grain]').inputValue(), 'week');
    const periods = await page.locator('[data-testid=section-trend] tbody tr td:first-child').allTextContents();
    assert.ok(
      periods.some((p) => /起\(\d\/7 天\)/.test(p)),
      `a week the range cuts is labelled: ${periods.slice(0, 3)}`,
    );
    assert.match((await page.locator('[data-testid=section-trend] .note').textContent()) ?? '', /不完整的周/);
    await page.selectOption('select[name=grain]', 'month');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=page-activity]')?.getAttribute('data-grain') === 'month',
    );
    assert.equal(await page.locator('select[name=grain]').inputValue(), 'month');

    await page.click('[data-testid="nav-/analysis/channels"]');
    await waitForPage(page, 'channels');
    assert.equal(await page.locator('select[name=grain]').inputValue(), 'week');
    assert.equal(await page.locator('[data-testid=page-channels]').getAttribute('data-grain'), 'week');

    // The effect views are by day and by month whatever is chosen: no grain offered.
    await page.click('[data-testid="nav-/analysis/effect"]');
    await waitForPage(page, 'effect');
    assert.equal(await page.locator('select[name=grain]').count(), 0);
    const cutover = await page.locator('input[name=cutover]').inputValue();
    assert.match(cutover, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(
      (await page.locator('[data-testid=section-daily] h3').first().textContent()) ?? '',
      new RegExp(cutover),
    );
    await page.close();
  });

  test('the Chinese pages show no raw code, the English ones no Chinese name or plan id', async () => {
    const { page, errors } = await dashboard.open('/');
    for (const [path, kind] of analysisPages) {
      await page.click(`[data-testid="nav-${path}"]`);
      await waitForPage(page, kind);
      assert.deepEqual(codesIn(await shownText(page)), [], `${path} (zh)`);
    }
    // The KPI explorer names band, channel and service values from the same catalogue.
    for (const by of ['tenure_band', 'age_band', 'arpu_band', 'channel', 'service']) {
      const metric = by === 'channel' ? 'orders' : by === 'service' ? 'penetration' : 'subscribers';
      const opened = await dashboard.open(`/kpi?metric=${metric}&by=${by}`);
      assert.deepEqual(codesIn(await shownText(opened.page)), [], `/kpi by ${by} (zh)`);
      await opened.page.close();
    }
    await page.click('[data-testid=lang-switch]');
    for (const [path, kind] of analysisPages) {
      await page.click(`[data-testid="nav-${path}"]`);
      await waitForPage(page, kind);
      const text = await shownText(page);
      assert.doesNotMatch(text, /河源|源城|龙川|全球通|彩铃|手机报/, `${path} (en)`);
      assert.doesNotMatch(text, /\b(GT58|GT88|EO10|MZ18)\b/, `${path} (en)`);
    }
    await page.click('[data-testid=lang-switch]');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('heatmaps draw every x label, and the colour legend reads a real range', async () => {
    const { page } = await dashboard.open('/analysis/tariff');
    for (const [path, kind] of [
      ['/analysis/tariff', 'tariff'],
      ['/analysis/kpi', 'kpi'],
    ] as const) {
      await page.click(`[data-testid="nav-${path}"]`);
      await waitForPage(page, kind);
      const heatmaps = await page.evaluate(() =>
        Array.from(document.querySelectorAll('[data-testid=chart]')).flatMap((element) => {
          const chart = (element as unknown as { telmarkChart?: DrawnChart }).telmarkChart;
          const option = chart?.getOption();
          if (!chart || !option?.series?.some((s) => s.type === 'heatmap')) return [];
          const axis = chart.getModel().getComponent('xAxis', 0).axis;
          return [
            {
              categories: option.xAxis[0]!.data.length,
              drawn: axis.getViewLabels().length,
              hideOverlap: option.xAxis[0]!.axisLabel?.hideOverlap === true,
              min: option.visualMap[0]!.min,
              max: option.visualMap[0]!.max,
            },
          ];
        }),
      );
      assert.ok(heatmaps.length > 0, `${path}: a heatmap`);
      for (const h of heatmaps) {
        assert.equal(h.drawn, h.categories, `${path}: every x label drawn`);
        assert.equal(h.hideOverlap, false);
        assert.ok(h.max > h.min, `${path}: legend ${h.min} … ${h.max}`);
      }
    }
    await page.close();
  });

  test('no table is clipped at 1440 or 1024 px: it fits, or scrolls with a scroll bar one can see', async () => {
    const { page } = await dashboard.open('/');
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [path, kind] of analysisPages) {
        await page.click(`[data-testid="nav-${path}"]`);
        await waitForPage(page, kind);
        const tables = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.table-scroll')).map((element) => {
            const box = element as HTMLElement;
            const section = box.closest('[data-testid^=section-]');
            return {
              section: section?.getAttribute('data-testid') ?? '',
              beside: section ? getComputedStyle(section).gridTemplateColumns.split(' ').length > 1 : false,
              overflow: box.scrollWidth - box.clientWidth,
              scrollbar: box.offsetHeight - box.clientHeight,
            };
          }),
        );
        for (const table of tables) {
          const where = `${path} ${table.section} at ${width}px`;
          // A table beside its chart must fit; a full-width one may scroll, visibly.
          if (table.beside) assert.ok(table.overflow <= 1, `${where}: clipped by ${table.overflow}px`);
          else if (table.overflow > 1) assert.ok(table.scrollbar >= 8, `${where}: scrolls without a visible bar`);
        }
      }
    }
    await page.close();
  });

  test('an unknown address shows a not-found page with a way back', async () => {
    const { page, errors } = await dashboard.openBare('/analysis/no-such-page');
    await page.waitForSelector('[data-testid=not-found]');
    assert.equal(await page.locator('.topbar h1').textContent(), '页面不存在');
    assert.match((await page.locator('[data-testid=not-found]').textContent()) ?? '', /\/analysis\/no-such-page/);
    await page.click('[data-testid=not-found-home]');
    await waitForPage(page, 'overview');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('sorting and drill-down work from the keyboard, and a drill-down has a way up', async () => {
    const { page } = await dashboard.open('/analysis/composition');
    const header = page.locator('[data-testid=section-tenure] th').nth(1);
    await header.locator('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const counts = (await page.locator('[data-testid=section-tenure] tbody td:nth-child(2)').allTextContents()).map(
      (c) => Number(c.replace(/,/g, '')),
    );
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
    );
    await page.keyboard.press('Enter');
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');

    // Drill from the region to its counties with the keyboard, then back up without the browser.
    const row = page.locator('[data-testid=section-area] tbody tr.clickable').first();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.location.search.includes('region='));
    await waitForPage(page, 'composition');
    await page.waitForSelector('[data-testid=section-area] td:text("龙川")');
    await page.click('[data-testid=drill-up]');
    await page.waitForFunction(() => !window.location.search.includes('region='));
    await waitForPage(page, 'composition');
    assert.equal(await page.locator('[data-testid=drill-path]').count(), 0);
    await page.close();
  });

  test('an API error is told in the page language, naming the field; <html lang> follows the switch', async () => {
    const { page } = await dashboard.openBare('/analysis/kpi?county=nowhere');
    await page.waitForSelector('[data-testid=error]');
    const error = page.locator('[data-testid=error]');
    // The text as rendered: the API's English words stay inside closed "details".
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked
    const shown = () => error.evaluate((e) => (e as HTMLElement).innerText);
    assert.match(await shown(), /输入有误/);
    assert.match(await shown(), /区县/);
    assert.doesNotMatch(await shown(), /unknown county/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.match(await shown(), /Invalid input/);
    await page.reload();
    await page.waitForSelector('[data-testid=error]');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.close();
  });
});
