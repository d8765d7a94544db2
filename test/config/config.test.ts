// The load's period tolerance comes from the one configuration: default, file, environment, flag.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';

describe('load.periodToleranceDays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('is one day by default, then the file, the environment and the flag each override it', () => {
    assert.equal(loadConfig({ env: {} }).load.periodToleranceDays, 1);
    const file = join(dir, 'telmark.config.json');
    writeFileSync(file, JSON.stringify({ load: { periodToleranceDays: 2 } }));
    assert.equal(loadConfig({ file, env: {} }).load.periodToleranceDays, 2);
    assert.equal(loadConfig({ file, env: { TELMARK_PERIOD_TOLERANCE_DAYS: '0.5' } }).load.periodToleranceDays, 0.5);
    assert.equal(
      loadConfig({ file, env: { TELMARK_PERIOD_TOLERANCE_DAYS: '0.5' }, flags: { periodToleranceDays: 0 } }).load
        .periodToleranceDays,
      0,
    );
  });

  test('a negative or non-numeric tolerance is refused naming the key', () => {
    assert.throws(() => loadConfig({ env: { TELMARK_PERIOD_TOLERANCE_DAYS: '-1' } }), /load\.periodToleranceDays/);
    assert.throws(() => loadConfig({ env: { TELMARK_PERIOD_TOLERANCE_DAYS: 'x' } }), /load\.periodToleranceDays/);
  });
});

describe('utcOffsetMinutes: one key for the stream and the channels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-config-utc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the one key sets both; the old keys alone still work with a deprecation warning', () => {
    const offsets = (c: ReturnType<typeof loadConfig>) => [
      c.utcOffsetMinutes,
      c.stream.utcOffsetMinutes,
      c.channels.utcOffsetMinutes,
    ];
    assert.deepEqual(offsets(loadConfig({ env: {} })), [480, 480, 480]);
    assert.deepEqual(offsets(loadConfig({ env: { TELMARK_UTC_OFFSET_MINUTES: '60' } })), [60, 60, 60]);
    const warnings: string[] = [];
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ stream: { utcOffsetMinutes: 540 }, channels: { utcOffsetMinutes: 540 } }));
    assert.deepEqual(offsets(loadConfig({ file: old, env: {}, onWarning: (w) => warnings.push(w) })), [540, 540, 540]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /stream\.utcOffsetMinutes is deprecated: set the one key `utcOffsetMinutes`/);
  });

  test('old and new keys that disagree are refused naming the new key', () => {
    const mixed = join(dir, 'mixed.json');
    writeFileSync(mixed, JSON.stringify({ utcOffsetMinutes: 480, channels: { utcOffsetMinutes: 420 } }));
    assert.throws(
      () => loadConfig({ file: mixed, env: {} }),
      /channels\.utcOffsetMinutes \(420\) disagrees with utcOffsetMinutes \(480\)/,
    );
    // The old environment variable alone moves both, as the file's old keys do.
    assert.equal(loadConfig({ env: { TELMARK_STREAM_UTC_OFFSET_MINUTES: '0' } }).channels.utcOffsetMinutes, 0);
    assert.throws(
      () => loadConfig({ env: { TELMARK_STREAM_UTC_OFFSET_MINUTES: '0', TELMARK_UTC_OFFSET_MINUTES: '480' } }),
      /TELMARK_STREAM_UTC_OFFSET_MINUTES \(0\) disagrees with utcOffsetMinutes \(480\)/,
    );
  });
});
