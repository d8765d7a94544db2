// `telmark detect` and `telmark anomalies` as a user runs them: formats, exit codes, errors in words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const telmark = (...args: string[]) => spawnSync(process.execPath, ['bin/telmark.js', ...args], { encoding: 'utf8' });

describe('telmark detect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-detect-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const series = join(dir, 'series.csv');
  const rows = ['when,load,other'];
  for (let i = 0; i < 1200; i++) {
    const t = new Date(Date.UTC(2026, 0, 1) + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
    rows.push(`${t},${i === 1000 ? 500 : 100 + ((i * 37) % 11)},x`);
  }
  writeFileSync(series, `${rows.join('\n')}\n`);

  test('--format csv writes one row per input row with score and alert, the spike alerted', () => {
    const result = telmark('detect', '--series', series, '--format', 'csv');
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], 'timestamp,value,anomaly_score,alert');
    assert.equal(lines.length, 1201);
    const spike = lines[1001]?.split(',');
    assert.equal(spike?.[1], '500');
    assert.equal(spike?.[3], '1');
    for (const line of lines.slice(1)) {
      const score = Number(line.split(',')[2]);
      assert.ok(score >= 0 && score <= 1);
    }
  });

  test('json lists the alerts; columns can be chosen by name', () => {
    const result = telmark(
      'detect',
      '--series',
      series,
      '--time-col',
      'when',
      '--value-col',
      'load',
      '--format',
      'json',
    );
    assert.equal(result.status, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.points, 1200);
    assert.equal(answer.seasonPoints, 288);
    assert.ok(answer.alerts.some((a: { row: number }) => a.row === 1002));
  });

  test('a usage error exits 2 and names the columns; a bad time exits 1 with file, line and field', () => {
    const usage = telmark('detect', '--series', series, '--value-col', 'nope');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--value-col "nope" is not a column.*\n.*columns are: when, load, other/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,value\n2026-01-01 00:00:00,1\nyesterday,2\n');
    const result = telmark('detect', '--series', bad);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /bad\.csv line 3 field timestamp: time "yesterday" is not a date/);
    assert.match(result.stderr, /hint: write times as YYYY-MM-DD/);
    const word = join(dir, 'word.csv');
    writeFileSync(word, 'timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,\n2026-01-01 00:10:00,abc\n');
    const typo = telmark('detect', '--series', word);
    assert.equal(typo.status, 1, 'a word is not a missing point');
    assert.match(typo.stderr, /word\.csv line 4 field value: value "abc" is not a number/);
  });

  test('telmark anomalies checks its flags before opening anything', () => {
    const result = telmark('--db', join(dir, 'none.duckdb'), 'anomalies', '--from', '18-03-2026');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--from must be a day written YYYY-MM-DD/);
  });
});
