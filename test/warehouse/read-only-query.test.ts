// `telmark sql` and any outside query text only read the warehouse: every reproduction of issue 10
// item 1 is refused, and nothing in the warehouse or on disk changes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../../src/shared/errors.ts';
import { insertRows } from '../../src/warehouse/insert-rows.ts';
import { openQueryWarehouse, runReadOnlyQuery } from '../../src/warehouse/read-only-query.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

describe('read-only outside queries', () => {
  let dir: string;
  let db: string;
  let secret: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-sql-'));
    db = join(dir, 'w.duckdb');
    secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'password\n');
    const warehouse = await Warehouse.open(db);
    await insertRows(
      warehouse,
      'plans',
      ['plan_id', 'name', 'brand', 'monthly_fee', 'voice_minutes', 'sms', 'data_mb', 'file_id'],
      [
        ['P1', 'one', 'gotone', 58, 100, 100, 500, 1],
        ['P2', 'two', 'mzone', 18, 0, 300, 1000, 1],
      ],
    );
    warehouse.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const telmark = (query: string) =>
    spawnSync(process.execPath, ['bin/telmark.js', '--db', db, '--format', 'json', 'sql', query], {
      encoding: 'utf8',
    });

  async function plansAndTables(): Promise<{ plans: number; loadFiles: boolean }> {
    const warehouse = await openQueryWarehouse(db);
    try {
      const plans = Number((await runReadOnlyQuery(warehouse, 'SELECT count(*) AS n FROM plans'))[0]?.n);
      const loadFiles = (await runReadOnlyQuery(warehouse, 'SHOW TABLES')).some((r) => r.name === 'load_files');
      return { plans, loadFiles };
    } finally {
      warehouse.close();
    }
  }

  test('telmark sql answers a SELECT', () => {
    const result = telmark('SELECT plan_id FROM plans ORDER BY plan_id');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [{ plan_id: 'P1' }, { plan_id: 'P2' }]);
  });

  test('EXPLAIN ANALYZE of DELETE, UPDATE, DROP and COPY is refused by telmark sql and changes nothing', async () => {
    const copyTarget = join(dir, 'x.csv');
    for (const query of [
      'EXPLAIN ANALYZE DELETE FROM plans',
      "EXPLAIN ANALYZE UPDATE plans SET name = 'x'",
      'EXPLAIN ANALYZE DROP TABLE load_files',
      `EXPLAIN ANALYZE COPY (SELECT plan_id FROM plans) TO '${copyTarget}'`,
      'explain analyse delete from plans',
    ]) {
      const result = telmark(query);
      assert.equal(result.status, 2, `${query}: exit ${result.status} ${result.stderr}`);
      assert.match(result.stderr, /not (read-only|allowed)/, query);
    }
    assert.deepEqual(await plansAndTables(), { plans: 2, loadFiles: true });
    assert.equal(existsSync(copyTarget), false, 'COPY must not write a file');
  });

  test('files of the machine cannot be read', async () => {
    const warehouse = await openQueryWarehouse(db);
    try {
      for (const query of [
        `SELECT * FROM read_csv('${secret}')`,
        "SELECT * FROM read_csv('/etc/passwd')",
        `SELECT * FROM read_text('${secret}')`,
        `SELECT * FROM read_blob('${secret}')`,
        `SELECT * FROM glob('${dir}/*')`,
        "SELECT * FROM glob('/root/*')",
      ]) {
        await assert.rejects(
          runReadOnlyQuery(warehouse, query),
          (error) => isAppError(error) && error.code === 'WAREHOUSE_READ_ONLY',
          query,
        );
      }
      // Not a table name, and not read as a file either.
      await assert.rejects(runReadOnlyQuery(warehouse, `FROM '${secret}'`), /does not exist|not allowed/);
    } finally {
      warehouse.close();
    }
    const result = telmark(`SELECT * FROM read_text('${secret}')`);
    assert.equal(result.status, 2);
    assert.doesNotMatch(result.stdout, /password/);
  });

  test('statements that write, attach, install, load or change settings are refused', async () => {
    const warehouse = await openQueryWarehouse(db);
    try {
      for (const query of [
        'DELETE FROM plans',
        `COPY plans TO '${join(dir, 'y.csv')}'`,
        `ATTACH '${join(dir, 'other.duckdb')}'`,
        `EXPORT DATABASE '${join(dir, 'export')}'`,
        'INSTALL httpfs',
        'LOAD json',
        'PRAGMA threads=1',
        'SET threads = 1',
        'SELECT 1; DROP TABLE plans',
        'EXPLAIN DELETE FROM plans',
        'EXPLAIN (ANALYZE, FORMAT json) DELETE FROM plans',
        'CALL pragma_version()',
      ]) {
        await assert.rejects(
          runReadOnlyQuery(warehouse, query),
          (error) => isAppError(error) && error.code === 'WAREHOUSE_READ_ONLY',
          query,
        );
      }
      const explained = await runReadOnlyQuery(warehouse, 'EXPLAIN ANALYZE SELECT count(*) FROM plans');
      assert.ok(explained.length > 0);
      const described = await runReadOnlyQuery(warehouse, 'DESCRIBE plans');
      assert.ok(described.some((r) => r.column_name === 'plan_id'));
    } finally {
      warehouse.close();
    }
    assert.equal(existsSync(join(dir, 'y.csv')), false);
    assert.equal(existsSync(join(dir, 'other.duckdb')), false);
    assert.deepEqual(await plansAndTables(), { plans: 2, loadFiles: true });
  });

  test('outside text is refused on a warehouse that was not opened locked down', async () => {
    const warehouse = await Warehouse.open(db);
    try {
      await assert.rejects(runReadOnlyQuery(warehouse, 'SELECT 1'), /openQueryWarehouse/);
    } finally {
      warehouse.close();
    }
  });
});
