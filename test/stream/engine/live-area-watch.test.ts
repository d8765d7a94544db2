// Live counts: a steady area raises nothing; when the station's signalling collapses (a cell outage)
// the interval after raises one critical anomaly, which the warehouse keeps beside the batch detectors'.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Anomaly, appendAnomalies, LiveCountDetector, saveAnomalies } from '../../../src/anomalies/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { LiveAreaWatch } from '../../../src/stream/engine/live-area-watch.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { harness, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-live-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Local time of minute `m` after 2026-03-01 09:00 (Heyuan). */
function at(minute: number, second: number): string {
  const d = new Date(Date.UTC(2026, 2, 1, 9, minute, second));
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

function runIntervals(counts: readonly number[]): Anomaly[] {
  const h = harness(stationRules);
  const watch = new LiveAreaWatch({ intervalSec: 300, utcOffsetMinutes: 480 });
  const found: Anomaly[] = [];
  counts.forEach((n, k) => {
    for (let i = 0; i < n; i++)
      h.send(
        at(k * 5, Math.floor((i * 290) / n)),
        `1380000${String(i).padStart(4, '0')}`,
        'location_update',
        '9310-101',
      );
    found.push(...watch.check(h.engine));
  });
  return found;
}

test('the live count detector: Poisson noise is no alarm, an outage and a surge are', () => {
  const d = new LiveCountDetector();
  const quiet = [98, 104, 101, 95, 110, 99, 102, 97, 105, 100];
  for (const n of quiet) assert.deepEqual(d.observe(new Map([['a', n]])), []);
  const drop = d.observe(new Map([['a', 6]]));
  assert.equal(drop[0]?.direction, 'drop');
  assert.ok((drop[0]?.z ?? 0) < -5);
  // Quiet for a few intervals after an alarm, whatever comes.
  assert.deepEqual(d.observe(new Map([['a', 0]])), []);
  const other = new LiveCountDetector();
  for (const n of quiet) other.observe(new Map([['b', n]]));
  assert.equal(other.observe(new Map([['b', 260]]))[0]?.direction, 'jump');
  assert.deepEqual(other.observe(new Map([['c', 3]])), [], 'a new, small key is not judged');
});

test('a steady station raises nothing; its collapse raises one critical live anomaly', () => {
  assert.deepEqual(runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 99, 101]), []);
  const found = runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 4, 100]);
  assert.equal(found.length, 1, JSON.stringify(found));
  const a = found[0]!;
  assert.equal(a.kind, 'live_change');
  assert.equal(a.kpi, 'live_events');
  assert.equal(a.severity, 'critical');
  assert.equal(a.day, '2026-03-01');
  assert.equal(a.observed, 4);
  assert.match(a.explanation.zh, /骤降/);
});

test('live anomalies are kept when the batch detectors replace their day, and added once', async () => {
  const warehouse = await Warehouse.open(join(dir, 'live.duckdb'));
  try {
    const clock = fixedClock('2026-03-01T04:00:00Z');
    const [live] = runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 4]);
    await appendAnomalies(warehouse, [live!], clock);
    await appendAnomalies(warehouse, [live!], clock);
    await saveAnomalies(warehouse, { from: '2026-03-01', to: '2026-03-01' }, [], clock);
    assert.equal(await warehouse.scalar(`SELECT count(*) FROM anomalies WHERE kind = 'live_change'`), 1);
  } finally {
    warehouse.close();
  }
});

test('a second and a third break of the same area on the same day keep the stream writing: the strongest stays', async () => {
  // Seen in `npm start`: the second live_change of an area in a day broke the table's key
  // (series, day, kind) and stopped the live stream.
  const warehouse = await Warehouse.open(join(dir, 'live-repeat.duckdb'));
  try {
    const clock = fixedClock('2026-03-01T04:00:00Z');
    const [first] = runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 40]);
    const [second] = runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 4]);
    const [third] = runIntervals([100, 96, 104, 99, 101, 98, 103, 97, 100, 102, 30]);
    assert.equal(first!.series, second!.series);
    assert.notEqual(first!.observed, second!.observed);
    await appendAnomalies(warehouse, [first!], clock);
    await appendAnomalies(warehouse, [second!], clock);
    await appendAnomalies(warehouse, [third!], clock);
    const rows = await warehouse.all<{ observed: number }>(`SELECT observed FROM anomalies WHERE kind = 'live_change'`);
    assert.deepEqual(
      rows.map((r) => r.observed),
      [4],
    );
  } finally {
    warehouse.close();
  }
});
