// The mining pages and the live area page in a real headless Chromium: each renders from the API of a
// real server over the generated demo warehouse, without console errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, type Dashboard, startDashboard } from './dashboard-harness.ts';

/** Opens the overview and goes to `path` through the side bar, as a user does. */
async function visit(dashboard: Dashboard, path: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await dashboard.open('/');
  await opened.page.click(`[data-testid="nav-${path}"]`);
  assert.equal(new URL(opened.page.url()).pathname, path);
  return opened;
}

describe('mining and live pages in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('the rules explorer mines the held-together services and draws the top rules', async () => {
    const { page, errors } = await visit(dashboard, '/mining/rules');
    const summary = page.locator('[data-testid=rules-summary]');
    await summary.waitFor({ timeout: 60_000 });
    assert.match((await summary.textContent()) ?? '', /\d+ 个购物篮/);
    await page.locator('[data-testid=chart] canvas').first().waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the segment page and the model report page render', async () => {
    for (const [path, testId] of [
      ['/mining/segments', 'mining-segments-page'],
      ['/mining/models', 'mining-models-page'],
    ] as const) {
      const { page, errors } = await visit(dashboard, path);
      await page.locator(`[data-testid=${testId}]`).waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      assert.deepEqual(errors, [], path);
      await page.close();
    }
  });

  test('the live area page renders its rules and areas without a running stream', async () => {
    const { page, errors } = await visit(dashboard, '/stream');
    await page.locator('[data-testid=stream-not-running]').waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the sending page renders the outbox state and its search without a running sender', async () => {
    const { page, errors } = await visit(dashboard, '/channels');
    await page.locator('[data-testid=channels-page]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=outbox-status]').selectOption('pending');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
