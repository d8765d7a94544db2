// The ClickHouse warehouse is one configuration key: file, then TELMARK_WAREHOUSE, then --warehouse.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';

test('no warehouse key means the DuckDB file', () => {
  assert.equal(loadConfig({ env: {} }).warehouse, undefined);
});

test('the file sets it, the environment overrides the file, the flag overrides both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-config-'));
  try {
    const file = join(dir, 'telmark.config.json');
    writeFileSync(file, JSON.stringify({ warehouse: 'clickhouse://a:1/telmark' }));
    assert.equal(loadConfig({ file, env: {} }).warehouse, 'clickhouse://a:1/telmark');
    const env = { TELMARK_WAREHOUSE: 'clickhouse://b:2,c:3/telmark' };
    assert.equal(loadConfig({ file, env }).warehouse, 'clickhouse://b:2,c:3/telmark');
    assert.equal(loadConfig({ file, env, flags: { warehouse: 'clickhouse://d:4/x' } }).warehouse, 'clickhouse://d:4/x');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an address that is not clickhouse://HOST:PORT/DB is refused naming the key and the form', () => {
  assert.throws(
    () => loadConfig({ env: { TELMARK_WAREHOUSE: 'postgres://x/y' } }),
    /warehouse: must look like clickhouse:\/\/HOST:PORT/,
  );
});
