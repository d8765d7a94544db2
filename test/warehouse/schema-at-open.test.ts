// Every table comes from the migrations run at open: the stream's and the mining tables exist before
// any command or request touches them, and no module outside the warehouse creates a table.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

const src = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

test('a freshly opened warehouse already has the stream and mining tables', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-schema-'));
  const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    for (const table of ['stream_outbox', 'stream_rules', 'stream_geofences', 'mining_models', 'mining_offers']) {
      assert.equal(await warehouse.tableExists(table), true, `${table} should exist after open`);
    }
  } finally {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only the warehouse schema creates tables', () => {
  const offenders = sourceFiles(src)
    .filter((path) => !relative(src, path).startsWith('warehouse'))
    .filter((path) => /CREATE\s+(TABLE|SEQUENCE)/i.test(readFileSync(path, 'utf8')))
    .map((path) => relative(src, path));
  assert.deepEqual(offenders, []);
});
