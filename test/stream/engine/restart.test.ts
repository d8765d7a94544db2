import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import { openStreamSession } from '../../../src/stream/stream-session.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fixed, seeded day of events: 40 subscribers moving between the cells, calling 114 and 12580. */
function writeEvents(path: string): number {
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const cells = ['9310-101', '9310-102', '9310-201', '9320-301'];
  const lines: string[] = [];
  let t = Date.UTC(2026, 2, 1, 7, 0, 0);
  for (let i = 0; i < 3000; i++) {
    t += Math.floor(random() * 20_000);
    const msisdn = `1380000${String(Math.floor(random() * 40)).padStart(4, '0')}`;
    const r = random();
    const event = r < 0.5 ? 'call_out' : r < 0.8 ? 'location_update' : r < 0.95 ? 'sms_out' : 'detach';
    const peer = event === 'call_out' ? (random() < 0.5 ? '114' : random() < 0.5 ? '12580' : '13912345678') : '';
    const ts = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(JSON.stringify({ ts, msisdn, event, cell_id: cells[Math.floor(random() * 4)], peer, duration_s: 10 }));
    if (i % 500 === 7) lines.push('{"broken": true}');
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return lines.length;
}

function writeCells(path: string): void {
  const rows = heyuanCells().cells.map((c) =>
    [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
  );
  writeFileSync(path, `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
}

async function runOnce(db: string, options: { snapshot?: string; maxLines?: number }) {
  const warehouse = await Warehouse.open(db);
  try {
    const session = await openStreamSession({
      source: join(dir, 'events.jsonl'),
      clock: fixedClock('2026-03-01T04:00:00Z'),
      warehouse,
      rulesFile: join(dir, 'rules.yaml'),
      cellsFile: join(dir, 'cells.csv'),
      snapshotPath: options.snapshot,
      maxLines: options.maxLines,
    });
    const summary = await session.run();
    const rows = await warehouse.all<{ decision_id: string; status: string }>(
      'SELECT decision_id, status FROM stream_outbox ORDER BY decision_id',
    );
    return { summary, rows };
  } finally {
    warehouse.close();
  }
}

describe('restart in the middle of a stream', () => {
  it('loses no trigger and duplicates none, even when the outbox ran ahead of the last snapshot', async () => {
    writeEvents(join(dir, 'events.jsonl'));
    writeCells(join(dir, 'cells.csv'));
    writeFileSync(join(dir, 'rules.yaml'), stationRules.replace('control: 0', 'control: 0.2'));

    const straight = await runOnce(join(dir, 'straight.duckdb'), {});
    assert.ok(straight.rows.length > 20, `expected a fair number of decisions, got ${straight.rows.length}`);
    assert.ok(straight.rows.some((r) => r.status === 'control'));
    assert.ok(straight.rows.some((r) => r.status === 'suppressed'));

    const db = join(dir, 'restarted.duckdb');
    const snapshot = join(dir, 'state.snap');
    const first = await runOnce(db, { snapshot, maxLines: 1000 });
    copyFileSync(snapshot, `${snapshot}.old`);
    // Runs on past the snapshot and writes its decisions, then "crashes": the old snapshot comes back.
    await runOnce(db, { snapshot, maxLines: 700 });
    copyFileSync(`${snapshot}.old`, snapshot);
    const last = await runOnce(db, { snapshot });

    assert.deepEqual(last.rows, straight.rows);
    assert.equal(first.summary.lines + last.summary.lines, straight.summary.lines);
    assert.equal(first.summary.rejected + last.summary.rejected, straight.summary.rejected);
  });

  it('skips lines it already holds when a source delivers them again', async () => {
    const db = join(dir, 'again.duckdb');
    const snapshot = join(dir, 'again.snap');
    const once = await runOnce(db, { snapshot });
    const twice = await runOnce(db, { snapshot });
    assert.equal(twice.summary.events, 0);
    assert.deepEqual(twice.rows, once.rows);
  });
});
