// Kept prepared statements (Warehouse.allPrepared): concurrent callers of one statement each get the
// rows of their own parameters, a statement follows the table it reads when that changes, and one that
// does not prepare fails clearly and is tried again next time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../src/shared/errors.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

describe('Warehouse.allPrepared', () => {
  let dir: string;
  let warehouse: Warehouse;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-prepared-'));
    warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    await warehouse.run(
      `CREATE TABLE kept_test AS SELECT 'k' || i AS key, i AS value, repeat('x', i % 50) AS pad FROM range(2000) t(i)`,
    );
  });
  after(() => {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each of many concurrent callers the rows of its own parameters', async () => {
    const sql = 'SELECT key, value FROM kept_test WHERE key = ? OR value = ?';
    const keys = Array.from({ length: 200 }, (_, i) => (i * 7) % 2000);
    const answers = await Promise.all(
      keys.map((k) => warehouse.allPrepared<{ key: string; value: number }>(sql, [`k${k}`, -1])),
    );
    answers.forEach((rows, i) => {
      assert.deepEqual(rows, [{ key: `k${keys[i]}`, value: keys[i] }]);
    });
    // The same answers as an unprepared read.
    assert.deepEqual(
      await warehouse.allPrepared(sql, ['k5', 6]),
      await warehouse.all(`${sql} ORDER BY value`, ['k5', 6]),
    );
  });

  it('reads a result of several chunks whole, as an unprepared read gives it', async () => {
    // DuckDB hands a result over in chunks of 2,048 rows: 2,000 rows twice over is three chunks.
    const sql = 'SELECT key, value, pad FROM kept_test, range(2) r(copy) WHERE value >= ? ORDER BY copy, value';
    const prepared = await warehouse.allPrepared(sql, [0]);
    assert.equal(prepared.length, 4000);
    assert.deepEqual(prepared, await warehouse.all(sql, [0]));
    assert.deepEqual(await warehouse.allPrepared(sql, [5000]), []);
  });

  it('follows the table when its rows change and when it is made again with other columns', async () => {
    const sql = 'SELECT * FROM kept_test WHERE key = ?';
    assert.equal((await warehouse.allPrepared<{ value: number }>(sql, ['k3']))[0]?.value, 3);
    await warehouse.run(`UPDATE kept_test SET value = 33 WHERE key = 'k3'`);
    assert.equal((await warehouse.allPrepared<{ value: number }>(sql, ['k3']))[0]?.value, 33);
    await warehouse.run('DROP TABLE kept_test');
    await warehouse.run(`CREATE TABLE kept_test AS SELECT 'k3' AS key, 'three' AS word`);
    assert.deepEqual(await warehouse.allPrepared(sql, ['k3']), [{ key: 'k3', word: 'three' }]);
  });

  it('fails with a query error naming the statement, and prepares again once the table exists', async () => {
    const sql = 'SELECT n FROM kept_later WHERE n = ?';
    await assert.rejects(warehouse.allPrepared(sql, [1]), (error: unknown) => {
      assert.ok(isAppError(error) && error.code === 'WAREHOUSE_QUERY');
      assert.match(String(error.hint), /kept_later/);
      return true;
    });
    await warehouse.run('CREATE TABLE kept_later AS SELECT 1 AS n');
    assert.deepEqual(await warehouse.allPrepared(sql, [1]), [{ n: 1 }]);
  });
});
