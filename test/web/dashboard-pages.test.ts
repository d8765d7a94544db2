// Every page of the dashboard in a real headless Chromium: charts drawn, tables filled, no console errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

const pages = [
  ['/analysis/kpi', 'kpi'],
  ['/analysis/composition', 'composition'],
  ['/analysis/tariff', 'tariff'],
  ['/analysis/activity', 'activity'],
  ['/analysis/channels', 'channels'],
  ['/analysis/trial-stickiness', 'trial-stickiness'],
  ['/analysis/effect', 'effect'],
  ['/', 'overview'],
] as const;

describe('dashboard pages in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('every page draws its charts and tables without console errors', async () => {
    const { page, errors } = await dashboard.open('/');
    for (const [path, kind] of pages) {
      // Navigate as a user does: through the side bar, without reloading the app.
      await page.click(`[data-testid="nav-${path}"]`);
      await waitForResults(page, `[data-testid=page-${kind}]`);
      const charts = await page.locator('[data-testid=chart] canvas').count();
      assert.ok(charts >= 2, `${path}: ${charts} charts`);
      assert.ok((await page.locator('[data-testid=data-table] tbody tr').count()) > 0, `${path}: table rows`);
      assert.equal(new URL(page.url()).pathname, path);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});
