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

// Data for which DuckDB would choose otherwise (three numbers, unique cell ids), so the names show.
test('signalling stores its text columns with the compression the schema names, so DuckDB does not try every method at load', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-schema-'));
  const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    await warehouse.run(
      `INSERT INTO signalling (ts, msisdn, event, cell_id, peer, duration_s, file_id)
       SELECT TIMESTAMP '2026-03-01 00:00:00' + INTERVAL (i) SECOND, (13800000000 + i % 3)::VARCHAR, 'call_out',
              md5(i::VARCHAR), CASE WHEN i % 2 = 0 THEN (13900000000 + i % 2)::VARCHAR END, i % 600, 1
       FROM range(5000) t(i)`,
    );
    await warehouse.run('CHECKPOINT');
    const stored = await warehouse.all<{ column_name: string; compression: string }>(
      `SELECT DISTINCT column_name, compression FROM pragma_storage_info('signalling')
       WHERE segment_type = 'VARCHAR' ORDER BY column_name`,
    );
    assert.deepEqual(
      stored.map((s) => `${s.column_name}:${s.compression}`),
      ['cell_id:Dictionary', 'event:Dictionary', 'msisdn:FSST', 'peer:FSST'],
    );
  } finally {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
