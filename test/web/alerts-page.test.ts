// The alerts page in a real headless Chromium over a real server: alert groups from the demo's
// planted anomalies, acknowledge and silence buttons, the history, both languages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { runAlertRouting, saveAlertConfig } from '../../src/alerts/index.ts';
import { detectWarehouseAnomalies } from '../../src/anomalies/index.ts';
import { defaultWebRoot } from '../../src/api/server.ts';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import { CHROMIUM, chromiumMissing } from './dashboard-harness.ts';
import { testAccess } from '../access/test-access.ts';

describe('alerts page in Chromium', { skip: chromiumMissing }, () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    if (!existsSync(join(defaultWebRoot, 'index.html'))) {
      const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web'], {
        stdio: 'inherit',
      });
      assert.equal(build.status, 0, 'vite build');
    }
    fixture = await demoFixture();
    warehouse = await fixture.open();
    const clock = fixedClock('2026-03-24T07:00:00Z');
    await detectWarehouseAnomalies(warehouse, { from: '2026-03-17', to: '2026-03-23', clock });
    await saveAlertConfig(warehouse, {
      routes: [
        {
          name: 'all',
          match: { minSeverity: 'warning' },
          groupBy: ['day', 'kpi'],
          steps: [[{ kind: 'email', email: 'ops@example.cn' }]],
          escalateAfterMinutes: 30,
          repeatAfterMinutes: 240,
        },
      ],
      oncall: [],
    });
    await runAlertRouting(warehouse, { clock });
    server = await startServer({ warehouse, port: 0, logLevel: 'silent', access: testAccess });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    warehouse?.close();
    fixture?.remove();
  });

  test('shows the open alerts, acknowledges and silences from the page, and lists the history', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/alerts`);
    const groups = page.locator('[data-testid=alert-group]');
    await groups.first().waitFor({ timeout: 60_000 });
    const open = await groups.count();
    assert.ok(open >= 2, `${open} open alerts`);
    assert.match((await page.locator('[data-testid=alerts-page]').textContent()) ?? '', /龙川 退订量：\d+，预期/);

    await page.locator('[data-testid=alert-ack]').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=alert-group]').length === n - 1, open);
    await page.locator('[data-testid=alert-silence]').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=alert-group]').length === n - 2, open);

    await page.click('[data-testid=alerts-tab-acknowledged]');
    await groups.first().waitFor();
    assert.equal(await groups.count(), 1);
    await page.click('[data-testid=alerts-tab-silenced]');
    await groups.first().waitFor();
    assert.equal(await groups.count(), 1);

    await page.click('[data-testid=alerts-tab-history]');
    await page.locator('[data-testid=alerts-page] table').waitFor();
    await page.click('[data-testid=lang-switch]');
    await page
      // The county by its English name from the catalogue (issue 17: no Chinese place names in English).
      .getByText(/cancellations in Longchuan: \d+ vs expected/)
      .first()
      .waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
