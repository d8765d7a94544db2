// The live page in a real headless Chromium when the stream is split over workers: the counts shown are
// the sum of the workers' reports (real reports on a real NATS server), the page says over how many,
// and a worker whose reports stop is named as left out, not silently summed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startNatsNodes, stopNatsNodes } from '../../src/cluster/nats-nodes.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { readLocalLiveAreas } from '../../src/stream/live-areas.ts';
import { setLiveAreaBoard } from '../../src/stream/live-stream.ts';
import type { MergedLiveAreas } from '../../src/stream/live/area-report.ts';
import { type AreaReporter, startAreaReporter } from '../../src/stream/live/area-reporter.ts';
import { localAreaReport } from '../../src/stream/live/with-area-reports.ts';
import { LiveAreaBoard } from '../../src/stream/live/live-area-board.ts';
import { chromiumMissing } from './dashboard-harness.ts';
import { type LiveDashboard, startLiveDashboard } from './live-dashboard.ts';

const natsMissing = spawnSync('nats-server', ['--version']).status === 0 ? false : 'nats-server is not installed';
const dir = mkdtempSync(join(tmpdir(), 'telmark-live-workers-'));

describe('live page summed over workers in Chromium', { skip: chromiumMissing || natsMissing }, () => {
  let live: LiveDashboard;
  let board: LiveAreaBoard;
  const reporters: AreaReporter[] = [];
  before(async () => {
    live = await startLiveDashboard();
    const station = (await live.warehouse.one<{ cell_id: string }>(`SELECT cell_id FROM cells WHERE name = '火车站1'`))!
      .cell_id;
    const people = await live.warehouse.all<{ msisdn: string }>(
      `SELECT msisdn FROM subscribers WHERE status = 'active' ORDER BY msisdn LIMIT 9`,
    );
    for (const [i, p] of people.entries())
      live.session.engine.process(
        {
          tsMs: Date.UTC(2026, 2, 30, 2, 0, i),
          msisdn: p.msisdn,
          event: 'location_update',
          cellId: station,
          peer: '',
          durationSec: 0,
        },
        i + 1,
      );
    const { servers } = await startNatsNodes(join(dir, 'nats'), 1);
    board = await LiveAreaBoard.open({ servers, clock: systemClock });
    // Two workers' reports; both are built from this process's stream, so the sum is twice its counts.
    for (const index of [0, 1])
      reporters.push(
        await startAreaReporter({
          servers,
          worker: { index, count: 2 },
          intervalMs: 1000,
          build: () => localAreaReport(live.warehouse, live.session, 1800),
        }),
      );
    setLiveAreaBoard(board);
  });
  after(async () => {
    setLiveAreaBoard(undefined);
    for (const r of reporters) await r.stop();
    await board?.close();
    await stopNatsNodes(join(dir, 'nats'));
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the page shows the sum over two workers, then names the one that stopped reporting', async () => {
    const own = await readLocalLiveAreas(live.warehouse, live.session, { windowSec: 1800 });
    const ownStation = own.areas.find((a) => a.area === 'station')!.present;
    assert.ok(ownStation >= 9, `the station has the subscribers sent there (${ownStation})`);
    // One answer must be complete and hold both workers' counts. Asserted on the answer polled, not a
    // second read: on a loaded machine a report late past 3 intervals makes a healthy worker briefly stale.
    const areas = async () => (await (await fetch(`${live.url}/api/stream/areas`)).json()) as MergedLiveAreas;
    let merged = await areas();
    for (let i = 0; !merged.complete; i++) {
      assert.ok(i < 100, `both reports arrive: ${JSON.stringify(merged.workers)}`);
      await new Promise((r) => setTimeout(r, 200));
      merged = await areas();
    }
    assert.equal(merged.areas.find((a) => a.area === 'station')?.present, 2 * ownStation);
    const { page, errors } = await live.open('/stream');
    const note = page.locator('[data-testid=stream-workers]');
    await note.filter({ hasText: '以上为 2 个处理进程计数之和' }).waitFor({ timeout: 30_000 });
    const stationRow = page.locator('[data-testid=stream-page] [data-testid=data-table] tbody tr', {
      hasText: '火车站',
    });
    const present = stationRow.first().locator('td').nth(2); // area, cells, present now, …
    await waitForText(present, String(2 * ownStation));

    await reporters.pop()!.stop(); // worker 1/2 goes silent
    // Waits for the state that must come and stay: worker 0 summed, worker 1 named as left out. A
    // passing moment where a late report of worker 0 names it instead is not that state (seen once in
    // 18 full runs beside a CPU hog: "…未计入合计：0/2（4 秒前）" while worker 1's last report was fresher).
    await waitForText(
      note,
      /^以上为 1 个处理进程计数之和 · 1 个处理进程没有及时上报，其计数未计入合计：1\/2（\d+ 秒前）$/,
    );
    await waitForText(present, String(ownStation));

    // The same note in English: the worker left out by name, no Chinese word.
    await page.click('[data-testid=lang-switch]');
    const english = await waitForText(
      note,
      /^Counts summed over 1 worker · 1 worker did not report in time; its counts are left out of the totals: 1\/2 \(\d+ s ago\)$/,
    );
    assert.doesNotMatch(english, /[\u4e00-\u9fff]/);
    assert.deepEqual(errors, []);
  });
});

/** Polls until the text is the string, or matches the pattern; returns the text. */
async function waitForText(
  locator: { textContent(): Promise<string | null> },
  expected: string | RegExp,
): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = ((await locator.textContent().catch(() => '')) ?? '').trim();
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return text;
    assert.ok(
      Date.now() < deadline,
      `expected ${typeof expected === 'string' ? `"${expected}"` : expected}, the page shows "${text}"`,
    );
    await new Promise((r) => setTimeout(r, 200));
  }
}
