// The pages of the seed analyses (issue 17) in a real Chromium, in Chinese: each draws its charts and
// tables with no console error and shows no raw code (menu paths, brand, source and reward codes); the
// area view shows only the fields chosen; the rewards page lists a granted reward in yuan.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

const pages = [
  ['/analysis/sms-forward', 'sms-forward', 2],
  ['/analysis/ivr-menus', 'ivr-menus', 3],
  ['/analysis/area-view', 'area-view', 2],
  ['/analysis/marketing', 'marketing', 1],
  ['/mining/bundles', 'bundles', 1],
] as const;

/** Codes that must not reach the Chinese page as they are. */
const rawCodes = [
  'travel/train',
  'life/weather',
  'food/restaurant',
  'easyown',
  'gotone',
  'mzone',
  'trigger',
  'campaign',
  'station',
  'residential',
  'credit',
  'pending',
];

describe('seed analysis pages in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
    await dashboard.warehouse.run(
      `INSERT INTO stream_rewards (reward_id, rule_id, rule_version, msisdn, offer_id, kind, amount, description, behaviour,
         count, offered_at, reached_at, granted_at, status)
       VALUES ('o1:reward', 'station-query-credit', 1, '13800138000', 'o1', 'credit', 5, '查询 12580 五次送 5 元话费',
         'call_out 12580', 5, TIMESTAMP '2026-03-30 09:00:00', TIMESTAMP '2026-03-30 15:00:00',
         TIMESTAMP '2026-03-30 15:00:01', 'pending')`,
    );
  });
  after(async () => {
    await dashboard?.close();
  });

  test('each page draws its charts and tables in Chinese without raw codes', async () => {
    const { page, errors } = await dashboard.open('/');
    for (const [path, kind, minCharts] of pages) {
      await page.click(`[data-testid="nav-${path}"]`);
      await waitForResults(page, `[data-testid=page-${kind}]`);
      const charts = await page.locator('[data-testid=chart] canvas').count();
      assert.ok(charts >= minCharts, `${path}: ${charts} charts`);
      assert.ok((await page.locator('[data-testid=data-table] tbody tr').count()) > 0, `${path}: table rows`);
      const text = (await page.locator(`[data-testid=page-${kind}]`).textContent()) ?? '';
      for (const code of rawCodes) {
        const at = text.indexOf(code);
        assert.ok(at < 0, `${path} shows the raw code "${code}": …${text.slice(Math.max(0, at - 80), at + 40)}…`);
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the area view shows the fields chosen, kept in the URL', async () => {
    const { page, errors } = await dashboard.open('/analysis/area-view?area_type=station');
    await waitForResults(page, '[data-testid=page-area-view]');
    assert.equal(await page.locator('[data-testid=section-callers]').count(), 1);
    await page.locator('input[name=field-callers]').uncheck();
    await page.waitForFunction(() => !document.querySelector('[data-testid=section-callers]'));
    await waitForResults(page, '[data-testid=page-area-view]');
    assert.equal(new URL(page.url()).searchParams.get('fields'), 'present,brands');
    assert.equal(await page.locator('[data-testid=section-present]').count(), 1);
    assert.match((await page.locator('main').textContent()) ?? '', /车站/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the rewards page lists the reward to fulfil in yuan', async () => {
    const { page, errors } = await dashboard.open('/stream/rewards');
    const text = (await page.locator('[data-testid=page-rewards]').textContent()) ?? '';
    assert.match(text, /待兑现/);
    assert.match(text, /¥5\.00/);
    assert.match(text, /话费/);
    // The rule id is a name someone gave the rule, not a code to translate.
    const shown = text.replaceAll('station-query-credit', '');
    for (const code of rawCodes) assert.ok(!shown.includes(code), `rewards page shows "${code}"`);
    assert.equal(await page.locator('[data-testid=rewards-export]').count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
