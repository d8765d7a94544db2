// Dashboard interaction in a real headless Chromium: filters kept in the URL change the numbers,
// drill-down from region to county, the language switch, and CSV export of the table shown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { chromiumMissing, type Dashboard, startDashboard, waitForResults } from './dashboard-harness.ts';

const headline = async (page: Page, key: string) =>
  (await page.locator(`[data-testid=headline-${key}] .headline-value`).textContent()) ?? '';

describe('dashboard interaction in Chromium', { skip: chromiumMissing }, () => {
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard();
  });
  after(async () => {
    await dashboard?.close();
  });

  test('a filter is kept in the URL and changes the numbers; a region drills down to its counties', async () => {
    const { page, errors } = await dashboard.open('/');
    const before = await headline(page, 'subscribers');
    await page.selectOption('select[name=county]', '龙川');
    await page.waitForFunction(
      (value) => document.querySelector('[data-testid=headline-subscribers] .headline-value')?.textContent !== value,
      before,
      { timeout: 10_000 },
    );
    assert.match(decodeURIComponent(page.url()), /county=龙川/);
    const after = await headline(page, 'subscribers');
    assert.ok(Number(after.replace(/,/g, '')) < Number(before.replace(/,/g, '')), `${after} < ${before}`);
    // Reloading the URL restores the view.
    await page.reload();
    await waitForResults(page);
    assert.equal(await headline(page, 'subscribers'), after);
    await page.selectOption('select[name=county]', '');
    await page.waitForFunction(() => !window.location.search.includes('county'));
    await page.locator('[data-testid=section-areas] tbody tr.clickable').first().click();
    await page.waitForFunction(() => window.location.search.includes('region='));
    await page.waitForSelector('[data-testid=section-areas] td:text("龙川")', { timeout: 10_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the language switch turns the interface to English and back to Chinese', async () => {
    const { page } = await dashboard.open('/analysis/tariff');
    assert.equal(await page.locator('.topbar h1').textContent(), '资费分析');
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.locator('.topbar h1').textContent(), 'Tariff analysis');
    assert.match((await page.locator('nav').textContent()) ?? '', /Trial stickiness/);
    assert.match((await page.locator('[data-testid=data-table] th').first().textContent()) ?? '', /plan/);
    await page.click('[data-testid=lang-switch]');
    assert.equal(await page.locator('.topbar h1').textContent(), '资费分析');
    await page.close();
  });

  test('CSV export downloads the table shown', async () => {
    const { page } = await dashboard.open('/analysis/channels');
    const table = page.locator('[data-testid=section-order-channel-cancel-rate] [data-testid=data-table]');
    const headers = await table.locator('th').allTextContents();
    const rows = await table.locator('tbody tr').count();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=section-order-channel-cancel-rate] [data-testid=export-csv]').click(),
    ]);
    assert.match(download.suggestedFilename(), /order-channel-cancel-rate\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = text.trim().split(/\r\n/);
    assert.deepEqual(
      lines[0]!.split(','),
      headers.map((h) => h.trim()),
    );
    assert.equal(lines.length - 1, rows);
    const firstCell = ((await table.locator('tbody tr').first().locator('td').first().textContent()) ?? '').trim();
    assert.equal(lines[1]!.split(',')[0], firstCell);
    await page.close();
  });
});
