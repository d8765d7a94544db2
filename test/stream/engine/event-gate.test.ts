// Misdated events and unknown cells make no marketing decision: they are rejected with a reason and
// counted, and the counts show in the stream status (API) and in the summary of `telmark stream`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../../src/api/server.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { openStreamSession, setLiveStream } from '../../../src/stream/index.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';
import { testAccess } from '../../access/test-access.ts';

const bin = fileURLToPath(new URL('../../../bin/telmark.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'telmark-gate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The stream's clock: 2026-03-01 12:00 in Heyuan (04:00 UTC).
const clock = fixedClock('2026-03-01T04:00:00Z');

function call(ts: string, msisdn: string, cell: string): string {
  return JSON.stringify({ ts, msisdn, event: 'call_out', cell_id: cell, peer: '114', duration_s: 20 });
}

/** Every line would fire the station rule if it were admitted; only the first two may. */
const lines = [
  call('2026-03-01 11:00:00', '13800000001', '9310-101'), // fine
  call('2026-03-01T03:30:00Z', '13800000002', '9310-102'), // 11:30 local: fine
  call('1970-01-01 10:00:00', '13800000003', '9310-101'),
  call('2099-03-01 10:00:00', '13800000004', '9310-101'),
  call('2026-03-01 05:59:59', '13800000005', '9310-101'), // 6 h 0 min 1 s behind
  call('2026-03-01 18:00:01', '13800000006', '9310-101'), // 6 h 0 min 1 s ahead
  call('2026-03-01 11:00:00', '13800000007', 'abc'),
  call('2026-03-01 11:00:00', '13800000008', '9999-99999'),
  '{"ts":"2026-03-01 11:00:00","event":"call_out","cell_id":"9310-101","peer":"114"}',
];

before(() => {
  const rows = heyuanCells().cells.map((c) =>
    [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
  );
  writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'rules.yaml'),
    stationRules.replace('from: "21:00", to: "08:00"', 'from: "23:00", to: "00:00"'),
  );
  writeFileSync(join(dir, 'events.jsonl'), `\uFEFF${lines.join('\n')}\n`);
});

describe('the stream turns away misdated events and unknown cells', () => {
  it('rejects them with a counted reason and no decision, and the status shows the counts', async () => {
    const warehouse = await Warehouse.open(join(dir, 'gate.duckdb'));
    const app = await buildServer({ warehouse, clock, webRoot: null, access: testAccess });
    try {
      const session = await openStreamSession({
        source: join(dir, 'events.jsonl'),
        clock,
        warehouse,
        rulesFile: join(dir, 'rules.yaml'),
        cellsFile: join(dir, 'cells.csv'),
      });
      setLiveStream(session);
      const summary = await session.run();
      assert.equal(summary.events, 2);
      assert.deepEqual(summary.rejectedBy, { malformed: 1, clock_skew: 4, unknown_cell: 2 });
      assert.equal(summary.rejected, 7);
      assert.deepEqual(summary.rejections, {
        'ts "…" is more than 6 h behind the stream\'s clock (stream.maxSkewSec)': 2,
        'ts "…" is more than 6 h ahead of the stream\'s clock (stream.maxSkewSec)': 2,
        'cell_id "…" is not in the cells feed': 2,
        'missing msisdn': 1,
      });
      const outbox = await warehouse.all<{ msisdn: string }>('SELECT msisdn FROM stream_outbox ORDER BY msisdn');
      assert.deepEqual(
        outbox.map((r) => r.msisdn),
        ['13800000001', '13800000002'],
      );
      assert.equal(session.engine.cells.find('abc'), undefined, 'an unknown cell is not added to the directory');

      const status = (await app.inject({ method: 'GET', url: '/api/stream/status' })).json();
      assert.equal(status.counters.rejected, 7);
      assert.deepEqual(status.counters.rejectedBy, { malformed: 1, clock_skew: 4, unknown_cell: 2 });
    } finally {
      setLiveStream(undefined);
      await app.close();
      warehouse.close();
    }
  });

  it('takes the skew from the configuration, and off admits every date', async () => {
    const warehouse = await Warehouse.open(join(dir, 'off.duckdb'));
    try {
      const session = await openStreamSession({
        source: join(dir, 'events.jsonl'),
        clock,
        warehouse,
        rulesFile: join(dir, 'rules.yaml'),
        cellsFile: join(dir, 'cells.csv'),
        maxSkewSec: 0,
      });
      const summary = await session.run();
      assert.deepEqual(summary.rejectedBy, { malformed: 1, clock_skew: 0, unknown_cell: 2 });
      assert.equal(summary.events, 6);
    } finally {
      warehouse.close();
    }
  });

  it('prints the rejections by reason in the summary of telmark stream', () => {
    const result = spawnSync(
      process.execPath,
      [
        bin,
        '--db',
        join(dir, 'cli.duckdb'),
        'stream',
        '--source',
        join(dir, 'events.jsonl'),
        '--rules',
        join(dir, 'rules.yaml'),
        '--cells',
        join(dir, 'cells.csv'),
        '--max-skew',
        '100000d',
        '--format',
        'json',
      ],
      { encoding: 'utf8', env: { ...process.env, TELMARK_STREAM_MAX_SKEW_SEC: '60' } },
    );
    assert.equal(result.status, 0, result.stderr);
    const [summary] = JSON.parse(result.stdout) as Record<string, number>[];
    // --max-skew wins over the environment: only the wrong cells and the missing number are turned away.
    assert.equal(summary!.rejected, 3);
    assert.equal(summary!.rejected_clock_skew, 0);
    assert.equal(summary!.rejected_unknown_cell, 2);
    assert.equal(summary!.rejected_malformed, 1);
    assert.match(result.stderr, /rejected 2: cell_id "…" is not in the cells feed/);

    const live = spawnSync(
      process.execPath,
      [
        bin,
        '--db',
        join(dir, 'cli2.duckdb'),
        'stream',
        '--source',
        join(dir, 'events.jsonl'),
        '--rules',
        join(dir, 'rules.yaml'),
        '--cells',
        join(dir, 'cells.csv'),
        '--format',
        'json',
      ],
      { encoding: 'utf8', env: { ...process.env, TELMARK_STREAM_MAX_SKEW_SEC: '60' } },
    );
    assert.equal(live.status, 0, live.stderr);
    // Against today's clock and a skew of one minute, every event of those days is too old or too new.
    assert.equal((JSON.parse(live.stdout) as Record<string, number>[])[0]!.rejected_clock_skew, 8);
  });
});
