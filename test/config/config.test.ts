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
