// A load killed with SIGKILL at any moment and run again ends with exactly the rows of one clean load.
// Kill times are fractions of a clean run of the same command, counted from the moment the warehouse
// file appears (the start-up before it varies most on a busy machine), so they land inside the load on
// a fast machine and a slow one alike; each case records how the child ended, and the file checks that
// enough of them really died mid-load (not before opening the warehouse, not after the end).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';
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

/** Starts `telmark load`; `opened` resolves when the warehouse file appears, `exited` with how it ended. */
function startLoad(cli: string, db: string, dir: string) {
  const child = spawn(process.execPath, [cli, '--db', db, 'load', dir], { stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const opened = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (existsSync(db) || child.exitCode !== null || child.signalCode !== null) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  return { child, opened, exited };
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
  /** A clean run's time from the warehouse file's appearance to the end. */
  let cleanLoadMs = 0;
  const cli = join(import.meta.dirname, '../../bin/telmark.js');
  const fractions = [0.15, 0.35, 0.6, 0.85];
  /** How each case's first run ended: killed inside the load, killed before it began or after it ended, or finished. */
  const endings: string[] = [];
  /** Cases whose killed run left its scratch folder for the re-run to remove. */
  let scratchLeftByKill = 0;

  before(async () => {
    const files: Record<string, string | string[]> = {
      'orders_20260301.csv': csvLines('orders', [
        validRows.orders!,
        { ...validRows.orders!, order_id: 'O2', msisdn: '1380000000x' },
      ]),
    };
    for (let d = 1; d <= 3; d++) files[`signalling_2026030${d}.csv`] = signallingFile(`2026-03-0${d}`, 100_000, d);
    dir = feedDir(files);
    // The clean run is the same command the cases kill.
    const run = startLoad(cli, clean, dir);
    await run.opened;
    const started = Date.now();
    const ending = await run.exited;
    cleanLoadMs = Date.now() - started;
    assert.deepEqual(ending, { code: 0, signal: null });
    expected = await fingerprint(clean);
    assert.equal(expected.signalling!.split(':')[0], String(3 * 100_000 - 11));
  });

  after(() => {
    for (const p of [clean, `${clean}.wal`, `${clean}.load-scratch`]) rmSync(p, { force: true, recursive: true });
  });

  for (const fraction of fractions) {
    test(`killed at ${fraction * 100} % of a clean load's time`, async () => {
      const db = join(tmpdir(), `telmark-killed-${process.pid}-${fraction}.duckdb`);
      const remove = () => {
        for (const p of [db, `${db}.wal`, `${db}.load-scratch`]) rmSync(p, { force: true, recursive: true });
      };
      try {
        // A run that finishes before its kill (the machine got faster) tells the load's time of now:
        // try again at the same fraction of that, a few times at most.
        let loadMs = cleanLoadMs;
        let ending = '';
        for (let attempt = 0; attempt < 3 && (ending === '' || ending === 'finished'); attempt++) {
          remove();
          const { child, opened, exited } = startLoad(cli, db, dir);
          await opened;
          const started = Date.now();
          await new Promise((resolve) => setTimeout(resolve, Math.round(fraction * loadMs)));
          child.kill('SIGKILL');
          const end = await exited;
          if (end.signal === null) {
            // It finished before the kill: then it must have finished well.
            assert.equal(end.code, 0, 'a load that was not killed exits 0');
            ending = 'finished';
            loadMs = Math.min(loadMs, Date.now() - started);
          } else {
            assert.equal(end.signal, 'SIGKILL', 'the child ends by the kill and by nothing else');
            const began = existsSync(db);
            const complete = began && JSON.stringify(await fingerprint(db)) === JSON.stringify(expected);
            ending = !began ? 'killed before opening' : complete ? 'killed after the end' : 'killed mid-load';
          }
        }
        endings.push(ending);
        if (existsSync(`${db}.load-scratch`)) scratchLeftByKill++;
        const rerun = spawnSync(process.execPath, [cli, '--db', db, 'load', dir], { encoding: 'utf8' });
        assert.equal(rerun.status, 0, rerun.stderr);
        assert.deepEqual(await fingerprint(db), expected);
        // The killed run's scratch folder (re-encoded copies, as large as the files) is gone with the re-run's.
        assert.equal(existsSync(`${db}.load-scratch`), false, 'scratch folders removed by the re-run');
      } finally {
        remove();
      }
    });
  }

  test('at least half of the kills landed inside the load', (t) => {
    assert.equal(endings.length, fractions.length);
    t.diagnostic(
      `clean load ${cleanLoadMs} ms; killed runs: ${endings.join(', ')}; scratch left by the kill: ${scratchLeftByKill}`,
    );
    const mid = endings.filter((e) => e === 'killed mid-load').length;
    assert.ok(mid >= fractions.length / 2, `only ${mid} of ${fractions.length} died mid-load: ${endings.join(', ')}`);
  });
});
