// A dashboard whose server runs a live stream over a copy of the demo warehouse, as `npm start` does
// (the example rule file applied at start), and that can be restarted over the same warehouse file:
// to check what survives a restart. The stream reads an empty event file: rules, not traffic, matter.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { openStreamSession, setLiveStream, type StreamSession } from '../../src/stream/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { testAccess } from '../access/test-access.ts';
import { demoFixture } from '../analysis/demo-warehouse.ts';
import { CHROMIUM } from './dashboard-harness.ts';

export const exampleRules = fileURLToPath(new URL('../../examples/rules/heyuan.yaml', import.meta.url));

export interface LiveDashboard {
  readonly url: string;
  readonly warehouse: Warehouse;
  readonly session: StreamSession;
  open(path: string): Promise<{ page: Page; errors: string[] }>;
  /** Stops the stream and the server, closes the warehouse, and starts both again over the same file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startLiveDashboard(): Promise<LiveDashboard> {
  const fixture = await demoFixture();
  const events = join(tmpdir(), `telmark-live-events-${process.pid}.jsonl`);
  writeFileSync(events, '');
  let warehouse: Warehouse;
  let session: StreamSession;
  let server: RunningServer;
  const start = async () => {
    warehouse = await fixture.open();
    session = await openStreamSession({ source: events, clock: systemClock, warehouse, rulesFile: exampleRules });
    await session.run();
    setLiveStream(session);
    server = await startServer({ warehouse, port: 0, logLevel: 'silent', access: testAccess });
  };
  const stop = async () => {
    setLiveStream(undefined);
    await session.stop();
    await server.close();
    warehouse.close();
  };
  await start();
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
  return {
    get url() {
      return server.url;
    },
    get warehouse() {
      return warehouse;
    },
    get session() {
      return session;
    },
    async open(path) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.url + path);
      return { page, errors };
    },
    restart: async () => {
      await stop();
      await start();
    },
    async close() {
      await browser.close();
      await stop();
      fixture.remove();
      const { rmSync } = await import('node:fs');
      rmSync(events, { force: true });
    },
  };
}
