// A real server on loopback over a copy of the generated demo warehouse, and a headless Chromium
// (Debian's chromium package) to drive the dashboard. Builds web/dist first if it is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { defaultWebRoot } from '../../src/api/server.ts';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import type { AccessOptions } from '../../src/api/access-plugin.ts';
import { testAccess } from '../access/test-access.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;

export interface Dashboard {
  url: string;
  /** The server's warehouse (e.g. to add users). */
  warehouse: Warehouse;
  open(path: string): Promise<{ page: Page; errors: string[] }>;
  /** A page at `path` without waiting for results (the login page has none). */
  openBare(path: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startDashboard(options: { access?: AccessOptions } = {}): Promise<Dashboard> {
  if (!existsSync(join(defaultWebRoot, 'index.html'))) {
    const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web'], { stdio: 'inherit' });
    assert.equal(build.status, 0, 'vite build');
  }
  const fixture: DemoFixture = await demoFixture();
  const warehouse: Warehouse = await fixture.open();
  const server: RunningServer = await startServer({
    warehouse,
    port: 0,
    logLevel: 'silent',
    access: options.access ?? testAccess,
  });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const openBare = async (path: string) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url + path);
    return { page, errors };
  };
  return {
    url: server.url,
    warehouse,
    openBare,
    async open(path) {
      const opened = await openBare(path);
      await waitForResults(opened.page);
      return opened;
    },
    async close() {
      await browser.close();
      await server.close();
      warehouse.close();
      fixture.remove();
    },
  };
}

/** Waits until the page shows results that are not being reloaded. */
export async function waitForResults(page: Page, scope = ''): Promise<void> {
  await page.waitForSelector(`${scope} [data-testid=results][data-loading=false]`.trim(), { timeout: 20_000 });
}
