// A load killed with SIGKILL at any moment and run again ends with exactly the rows of one clean load.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/shared/clock.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { csvLines, feedDir, validRows } from './feed-fixtures.ts';

const tables = [
  'subscribers',
  'orders',
  'signalling',
  'quarantine',
  'subscriptions',
  'agg_subscriber_day',
  'agg_area_service_day',
  'agg_area_day',
  'agg_cell_hour',
  'agg_segment_day',
  'agg_subscriber_service_month',
  'agg_billing_segment_month',
  'agg_area_type_day',
];

/** Row counts and an order-independent checksum of every table, leaving out file ids and load times. */
async function fingerprint(path: string): Promise<Record<string, string>> {
  return withWarehouse(path, async (warehouse) => {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const columns = (
        await warehouse.all<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name NOT IN ('file_id') ORDER BY ordinal_position`,
          [table],
        )
      ).map((c) => `"${c.column_name}"`);
      const row = await warehouse.one<{ n: number; h: string }>(
        `SELECT count(*) AS n, coalesce(sum(hash(${columns.join(', ')}))::VARCHAR, '0') AS h FROM ${table}`,
      );
      out[table] = `${row!.n}:${row!.h}`;
    }
    out.dirty = String(await warehouse.scalar('SELECT count(*) FROM dirty_days'));
    return out;
  });
}

function signallingFile(day: string, rows: number, seed: number): string {
  const lines = ['ts,msisdn,event,cell_id,peer,duration_s'];
  const events = ['call_out', 'call_in', 'sms_out', 'location_update'];
  for (let i = 0; i < rows; i++) {
    const second = (i * 7 + seed) % 86400;
    const time = `${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`;
    const msisdn = `1380000000${1 + ((i + seed) % 4)}`;
    const bad = seed === 1 && i % 9973 === 0; // a few bad rows in one file, so the slow path runs too
    lines.push(
      `${day} ${time}.${String(i % 1000).padStart(3, '0')},${msisdn},${events[i % 4]},${bad ? '9999-9' : `9001-${1 + (i % 2)}`},${i % 4 === 0 ? '114' : ''},${i % 300}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('kill -9 during a load, then run it again', () => {
  let dir: string;
  const clean = join(tmpdir(), `telmark-clean-${process.pid}.duckdb`);
  let expected: Record<string, string>;
  let cleanLoadMs = 0;
  const cli = join(import.meta.dirname, '../../bin/telmark.js');

  before(async () => {
    const files: Record<string, string | string[]> = {
      'orders_20260301.csv': csvLines('orders', [
        validRows.orders!,
        { ...validRows.orders!, order_id: 'O2', msisdn: '1380000000x' },
      ]),
    };
    for (let d = 1; d <= 3; d++) files[`signalling_2026030${d}.csv`] = signallingFile(`2026-03-0${d}`, 100_000, d);
    dir = feedDir(files);
    const warehouse = await Warehouse.open(clean);
    const started = Date.now();
    await loadDirectory(warehouse, dir, { clock: fixedClock('2026-03-05T00:00:00Z') });
    cleanLoadMs = Date.now() - started;
    warehouse.close();
    expected = await fingerprint(clean);
    assert.equal(expected.signalling!.split(':')[0], String(3 * 100_000 - 11));
  });

  after(() => {
    for (const p of [clean, `${clean}.wal`]) rmSync(p, { force: true });
  });

  // Kill points spread over the load: while starting, in the first files, mid-way, near the end.
  for (const fraction of [0.05, 0.3, 0.6, 0.9]) {
    test(`killed at ${fraction * 100} % of a clean load's time`, async () => {
      const delayMs = Math.round(fraction * (cleanLoadMs + 1500)); // + the CLI's start-up
      const db = join(tmpdir(), `telmark-killed-${process.pid}-${fraction}.duckdb`);
      try {
        const child = spawn(process.execPath, [cli, '--db', db, 'load', dir], { stdio: 'ignore' });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        child.kill('SIGKILL');
        await exited;
        const rerun = spawnSync(process.execPath, [cli, '--db', db, 'load', dir], { encoding: 'utf8' });
        assert.equal(rerun.status, 0, rerun.stderr);
        assert.deepEqual(await fingerprint(db), expected);
      } finally {
        for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
      }
    });
  }
});
