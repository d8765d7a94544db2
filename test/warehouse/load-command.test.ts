// `telmark load` as a person runs it: the summary is printed, and a rejected file makes the exit code 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { csvLines, feedDir, validRows } from './feed-fixtures.ts';

const cli = join(import.meta.dirname, '../../bin/telmark.js');
let counter = 0;
const dbs: string[] = [];

function telmarkLoad(dir: string, ...args: string[]) {
  const db = join(tmpdir(), `telmark-load-cli-${process.pid}-${counter++}.duckdb`);
  dbs.push(db);
  return spawnSync(process.execPath, [cli, '--db', db, 'load', dir, ...args], { encoding: 'utf8' });
}

afterEach(() => {
  for (const db of dbs.splice(0)) for (const p of [db, `${db}.wal`]) rmSync(p, { force: true });
});

const ordersText = `${csvLines('orders', [validRows.orders!]).join('\n')}\n`;

describe('telmark load exit codes', () => {
  test('every file loaded: exit 0 with the summary', () => {
    const result = telmarkLoad(feedDir({ 'orders_20260301.csv': ordersText }));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /files: 6 loaded, 0 already loaded \(skipped\), 0 rejected/);
  });

  test('an empty file: exit 1, and the summary still names it and counts what loaded', () => {
    const result = telmarkLoad(
      feedDir({ 'orders_20260301.csv': '', 'sms_20260301.csv': csvLines('sms', [validRows.sms!]) }),
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /files: 6 loaded, 0 already loaded \(skipped\), 1 rejected/);
    assert.match(result.stdout, /rejected orders_20260301\.csv: the file is empty/);
  });

  test('a truncated gzip: exit 1 with the summary, also as JSON', () => {
    const gz = gzipSync(Buffer.from(ordersText.repeat(50)));
    const dir = feedDir({ 'orders_20260301.csv.gz': gz.subarray(0, gz.length - 20) });
    const result = telmarkLoad(dir);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /rejected orders_20260301\.csv\.gz: the gzip file is truncated/);
    const json = spawnSync(process.execPath, [cli, '--db', dbs[0]!, '--format', 'json', 'load', dir], {
      encoding: 'utf8',
    });
    assert.equal(json.status, 1, json.stderr);
    assert.deepEqual(
      (JSON.parse(json.stdout) as { rejected: { file: string }[] }).rejected.map((r) => r.file),
      ['orders_20260301.csv.gz'],
    );
  });

  test('a stray quote: the summary shows every line accounted for, exit 0', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      ...validRows.sms!,
      ts: `2026-03-01 09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
    }));
    const lines = csvLines('sms', rows).map((line, i) => (i === 40 ? line.replace('10658000', '"10658000') : line));
    const result = telmarkLoad(feedDir({ 'sms_20260301.csv': lines }));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /rows: 2\d\d read = 2\d\d loaded \+ 1 quarantined; all 2\d\d lines accounted for\n/);
    assert.match(result.stdout, / 1 {2}sms: a quote opens a field that does not close on this line/);
  });

  test('--period-tolerance sets how far outside its day a row may be dated; a bad value is a usage error', () => {
    const lines = csvLines('sms', [validRows.sms!, { ...validRows.sms!, ts: '2026-03-02 08:00:00' }]);
    const dir = feedDir({ 'sms_20260301.csv': lines });
    const strict = telmarkLoad(dir, '--period-tolerance', '0');
    assert.equal(strict.status, 0, strict.stderr);
    assert.match(strict.stdout, /rows: 14 read = 13 loaded \+ 1 quarantined/);
    assert.match(strict.stdout, /sms: ts "…" is outside the file's period 2026-03-01 ± 0 days/);
    const lenient = telmarkLoad(dir);
    assert.match(lenient.stdout, /\+ 0 quarantined/);
    assert.match(lenient.stdout, /note sms_20260301\.csv: 1 row\(s\) dated outside 2026-03-01/);
    const wrong = telmarkLoad(dir, '--period-tolerance', 'a day');
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--period-tolerance must be a number of days/);
  });
});
