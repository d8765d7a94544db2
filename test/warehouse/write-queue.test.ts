// Writes shared by many callers queue on connections of their own: concurrent read-modify-write
// never loses an update, and a real conflict between two connections is a clear WRITE_CONFLICT.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../src/shared/errors.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

describe('Warehouse.write', () => {
  let dir: string;
  let warehouse: Warehouse;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-writes-'));
    warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    await warehouse.run(`INSERT INTO meta (key, value) VALUES ('counter', '0')`);
  });
  after(() => {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs concurrent read-modify-write work one after another, each in its own transaction', async () => {
    const increments = Array.from({ length: 20 }, () =>
      warehouse.write(async (tx) => {
        const value = Number((await tx.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'counter'`))?.value);
        await new Promise((resolve) => setTimeout(resolve, 2)); // let the others try to interleave
        await tx.run(`UPDATE meta SET value = ? WHERE key = 'counter'`, [String(value + 1)]);
      }),
    );
    // Reads on the shared connection meanwhile are never inside someone's transaction.
    const reads = Array.from({ length: 10 }, () => warehouse.scalar('SELECT count(*) FROM meta'));
    await Promise.all([...increments, ...reads]);
    assert.equal((await warehouse.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'counter'`))?.value, '20');
  });

  it('rolls back a failed write without disturbing the next', async () => {
    await assert.rejects(
      warehouse.write(async (tx) => {
        await tx.run(`UPDATE meta SET value = '999' WHERE key = 'counter'`);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    await warehouse.write((tx) => tx.run(`UPDATE meta SET value = '21' WHERE key = 'counter'`));
    assert.equal((await warehouse.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'counter'`))?.value, '21');
  });

  it('reports two connections changing the same row at once as WRITE_CONFLICT', async () => {
    const first = await warehouse.connectAnother();
    const second = await warehouse.connectAnother();
    try {
      await first.run('BEGIN TRANSACTION');
      await second.run('BEGIN TRANSACTION');
      await first.run(`UPDATE meta SET value = 'a' WHERE key = 'counter'`);
      await assert.rejects(
        (async () => {
          await second.run(`UPDATE meta SET value = 'b' WHERE key = 'counter'`);
          await second.run('COMMIT');
        })(),
        (error) => isAppError(error) && error.code === 'WRITE_CONFLICT' && error.httpStatus === 409,
      );
    } finally {
      await first.run('ROLLBACK').catch(() => undefined);
      await second.run('ROLLBACK').catch(() => undefined);
      first.close();
      second.close();
    }
  });
});
