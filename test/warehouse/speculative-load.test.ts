// New files that may be proven clean are inserted while their bytes are proven, inside the batch's
// transaction, which commits only when the pass has proven every file and found its content new
// (load-speculatively.ts). A re-run must neither double rows nor leave that transaction open, and a
// file the pass does not prove must leave no row of the speculative insert behind.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixedClock } from '../../src/shared/clock.ts';
import type { FeedFile, LoadBatchOptions } from '../../src/warehouse/load/feed-file.ts';
import { loadDirectory } from '../../src/warehouse/load/load-directory.ts';
import { loadSpeculatively } from '../../src/warehouse/load/load-speculatively.ts';
import { referenceKeySets } from '../../src/warehouse/load/reference-key-sets.ts';
import { feeds } from '../../src/feeds/contract.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { csvLines, feedDir, validRows } from './feed-fixtures.ts';
import { openTempWarehouse } from './temp-warehouses.ts';

const clock = fixedClock('2026-06-01T00:00:00Z');
const openWarehouse = () => openTempWarehouse('speculative');

/** A clean signalling file of `rows` rows dated `day`; `edit` may change a row's fields. */
function signalling(day: string, rows: number, edit?: (row: Record<string, string>, i: number) => void): string[] {
  return csvLines(
    'signalling',
    Array.from({ length: rows }, (_, i) => {
      const row = {
        ...validRows.signalling!,
        ts: `${day} 08:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}`,
        msisdn: `1380000000${1 + (i % 4)}`,
        cell_id: i % 2 === 0 ? '9001-1' : '9001-2',
        peer: i % 3 === 0 ? '' : '114',
        duration_s: String(i % 300),
      };
      edit?.(row, i);
      return row;
    }),
  );
}

/** Opening and closing a transaction works only when none is open on the connection. */
/** One signalling file of `dir` tried on the speculative path alone, with the warehouse's reference keys. */
async function trySignallingFile(warehouse: Warehouse, dir: string, day: string) {
  const file: FeedFile = {
    path: join(dir, `signalling_${day}.csv`),
    fileName: `signalling_${day}.csv`,
    feed: 'signalling',
    period: day,
    gzip: false,
  };
  const references = (await referenceKeySets(warehouse, feeds.signalling))!;
  return { file, tried: await loadSpeculatively(warehouse, [file], { ...batchOptions(dir), references }) };
}

async function assertNoTransactionOpen(warehouse: Warehouse): Promise<void> {
  await warehouse.run('BEGIN TRANSACTION');
  await warehouse.run('ROLLBACK');
}

/** Rows of the table whose file id no load_files row holds: what a speculative insert would leave. */
const strayRows = (warehouse: Warehouse) =>
  warehouse.scalar('SELECT count(*) FROM signalling WHERE file_id NOT IN (SELECT file_id FROM load_files)');

const batchOptions = (dir: string): LoadBatchOptions => ({
  encoding: 'utf8',
  scratchDir: dir,
  clock,
  periodToleranceDays: 1,
});

describe('files inserted while their bytes are proven', () => {
  test('load proven, with the same rows and counts as the checked path', async () => {
    const dir = feedDir({
      'signalling_20260301.csv': signalling('2026-03-01', 500),
      // A few late rows of the day before: within the tolerance, counted by the pass, noted.
      'signalling_20260302.csv': signalling('2026-03-02', 300, (row, i) => {
        if (i % 50 === 0) row.ts = '2026-03-01 23:59:59.999';
      }),
      'sms_20260301.csv': csvLines('sms', [validRows.sms!, { ...validRows.sms!, service_id: '' }]),
    });
    const overlapped = await openWarehouse();
    const checked = await openWarehouse();
    const a = await loadDirectory(overlapped, dir, { clock, derived: false });
    await loadDirectory(checked, dir, { clock, derived: false, byteProof: false });
    const daily = a.files.filter((f) => f.feed === 'signalling' || f.feed === 'sms');
    assert.equal(daily.length, 3);
    assert.ok(
      daily.every((f) => f.provenByBytes === true && f.outcome === 'loaded'),
      'every daily file proven',
    );
    for (const table of ['signalling', 'sms']) {
      const rows = `SELECT lf.file_name, t.* EXCLUDE (file_id) FROM ${table} t JOIN load_files lf USING (file_id) ORDER BY ALL`;
      assert.deepEqual(await overlapped.all(rows), await checked.all(rows), table);
    }
    const counts = 'SELECT file_name, rows_read, rows_loaded, rows_quarantined, notes FROM load_files ORDER BY ALL';
    assert.deepEqual(await overlapped.all(counts), await checked.all(counts));
    const dirty = 'SELECT day FROM dirty_days ORDER BY day';
    assert.deepEqual(await overlapped.all(dirty), await checked.all(dirty));
    const late = a.files.find((f) => f.fileName === 'signalling_20260302.csv')!;
    assert.match(late.notes.join('; '), /^6 row\(s\) dated outside 2026-03-02/);
    assert.equal(await overlapped.scalar('SELECT count(*) FROM signalling'), 800);
    assert.equal(await strayRows(overlapped), 0);

    // The signalling batch alone, the overlapped way: it commits.
    const direct = await openWarehouse();
    await loadDirectory(direct, feedDir(), { clock, derived: false });
    const files = ['20260301', '20260302'].map(
      (period): FeedFile => ({
        path: join(dir, `signalling_${period}.csv`),
        fileName: `signalling_${period}.csv`,
        feed: 'signalling',
        period,
        gzip: false,
      }),
    );
    const references = (await referenceKeySets(direct, feeds.signalling))!;
    const tried = await loadSpeculatively(direct, files, { ...batchOptions(dir), references });
    assert.equal(tried?.committed, true);
    assert.equal(await direct.scalar('SELECT count(*) FROM signalling'), 800);
    assert.equal(await strayRows(direct), 0);
  });

  test('a re-run of a loaded proven file neither doubles its rows nor leaves a transaction open', async () => {
    const content = signalling('2026-03-01', 400);
    const dir = feedDir({ 'signalling_20260301.csv': content });
    const warehouse = await openWarehouse();
    const first = await loadDirectory(warehouse, dir, { clock, derived: false });
    assert.equal(first.files.find((f) => f.feed === 'signalling')?.provenByBytes, true);

    // The same name: skipped by name and hash.
    const again = await loadDirectory(warehouse, dir, { clock, derived: false });
    assert.deepEqual(
      again.files.filter((f) => f.feed === 'signalling').map((f) => [f.outcome, f.rowsLoaded]),
      [['skipped', 0]],
    );
    // The same content under a new name: inserted speculatively, rolled back once its hash is found.
    const copy = feedDir({ 'signalling_20260302.csv': content }, false);
    const copied = await loadDirectory(warehouse, copy, { clock, derived: false });
    assert.deepEqual(
      copied.files.map((f) => [f.fileName, f.outcome, f.notes.at(-1)]),
      [['signalling_20260302.csv', 'skipped', 'same content already loaded as signalling_20260301.csv']],
    );
    const { tried } = await trySignallingFile(warehouse, copy, '20260302');
    assert.equal(tried?.committed, false, 'a known hash never commits');

    await assertNoTransactionOpen(warehouse);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling'), 400);
    assert.equal(await warehouse.scalar(`SELECT count(*) FROM load_files WHERE feed = 'signalling'`), 1);
    assert.equal(await strayRows(warehouse), 0);
  });

  test('a file whose pass fails after the speculative insert leaves no row of that insert behind', async () => {
    // The last row is dated outside the file's period: every cast succeeds, so the speculative insert
    // takes all 300 rows, but the pass does not prove the file and the checked path quarantines the row.
    const content = signalling('2026-03-01', 300, (row, i) => {
      if (i === 299) row.ts = '2026-03-05 08:00:00.000';
    });
    const dir = feedDir({ 'signalling_20260301.csv': content }, false);
    const warehouse = await openWarehouse();
    await loadDirectory(warehouse, feedDir(), { clock, derived: false });

    const { file, tried } = await trySignallingFile(warehouse, dir, '20260301');
    assert.equal(tried?.committed, false);
    const pass = tried?.inspected.get(file.fileName);
    assert.ok(pass && !(pass instanceof Error) && pass.proven === false, 'the pass ran and did not prove the file');
    await assertNoTransactionOpen(warehouse);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling'), 0, 'the speculative rows are gone');
    assert.equal(await warehouse.scalar('SELECT count(*) FROM load_files WHERE feed = ?', ['signalling']), 0);

    const summary = await loadDirectory(warehouse, dir, { clock, derived: false });
    const result = summary.files.find((f) => f.fileName === file.fileName)!;
    assert.deepEqual([result.rowsLoaded, result.rowsQuarantined, result.provenByBytes], [299, 1, undefined]);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling'), 299);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM quarantine'), 1);
    assert.equal(await strayRows(warehouse), 0);
    await assertNoTransactionOpen(warehouse);
  });

  test('a doubt on the first lines stops the speculative insert there, and the checked path still loads the file', async () => {
    // 100,000 rows, the second with a cell the warehouse does not know: the pass has its doubt in its
    // first piece, long before DuckDB has inserted the rows, and interrupts the insert.
    const rows = 100_000;
    const content = signalling('2026-03-01', rows, (row, i) => {
      if (i === 1) row.cell_id = '9999-9';
    });
    const dir = feedDir({ 'signalling_20260301.csv': content }, false);
    const warehouse = await openWarehouse();
    await loadDirectory(warehouse, feedDir(), { clock, derived: false });
    const { file, tried } = await trySignallingFile(warehouse, dir, '20260301');
    assert.deepEqual(tried && !tried.committed && tried.insertStopped, true, 'the insert was cut short');
    const pass = tried?.inspected.get(file.fileName);
    assert.ok(pass && !(pass instanceof Error), 'the pass went on to the end');
    assert.deepEqual([pass.proven, pass.dataLines], [false, rows]);
    await assertNoTransactionOpen(warehouse);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling'), 0);

    const summary = await loadDirectory(warehouse, dir, { clock, derived: false });
    const result = summary.files.find((f) => f.fileName === file.fileName)!;
    assert.deepEqual([result.rowsLoaded, result.rowsQuarantined], [rows - 1, 1]);
    assert.deepEqual(await warehouse.all('SELECT line, field FROM quarantine'), [{ line: 3, field: 'cell_id' }]);
    assert.equal(await strayRows(warehouse), 0);
  });

  test('a file the pass rejects holds back only itself', async () => {
    // Mostly bytes that are not UTF-8: the pass rejects the whole file, after the insert has begun.
    const text = `${signalling('2026-03-02', 40).join('\n')}\n`;
    const latin1 = Buffer.from(text.replaceAll('9001-', '9001\xff-'), 'latin1');
    const dir = feedDir({
      'signalling_20260301.csv': signalling('2026-03-01', 200),
      'signalling_20260302.csv': latin1,
    });
    const warehouse = await openWarehouse();
    const summary = await loadDirectory(warehouse, dir, { clock, derived: false });
    assert.deepEqual(
      summary.rejected.map((r) => r.fileName),
      ['signalling_20260302.csv'],
    );
    assert.match(summary.rejected[0]!.error.message, /not valid UTF-8/);
    assert.equal(summary.files.find((f) => f.fileName === 'signalling_20260301.csv')?.rowsLoaded, 200);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling'), 200);
    assert.equal(await strayRows(warehouse), 0);
    await assertNoTransactionOpen(warehouse);
  });
});
