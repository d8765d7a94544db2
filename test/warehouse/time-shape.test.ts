// The shape test of dates and times is one LIKE (cheaper than a length and three substr() calls):
// it must judge every value exactly as the longer test did, characters outside ASCII included.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compiledFeed } from '../../src/warehouse/load/compile-feed-sql.ts';
import { sqlLiteral } from '../../src/warehouse/sql-text.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

const values = [
  '2026-03-01 10:00:00',
  '2026-03-01 10:00:00.123',
  '2026-03-01 10:00:00.12',
  '2026-03-01 10:00:00.1234',
  '2026-03-01T10:00:00',
  '2026/03/01 10:00:00',
  '2026-3-01 10:00:00.1234',
  '2026-03-01 1:00:00',
  '2026-03-01 10:00:0',
  '2026-02-30 10:00:00',
  '2026-03-01',
  '河源年-03-01 10:00:00',
  '2026-03-01 10:00:00河',
  '2026-03-01 10:00:00 河源',
  ' 2026-03-01 10:00:00',
  '2026-03-01 10:00:00 ',
];

test('the time check flags exactly the values the length-and-substr test with the cast flagged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-time-shape-'));
  const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    const compiled = compiledFeed('signalling');
    const rows = values.map((v) => `(${sqlLiteral(v)}, '13800138000', 'call_out', '9001-1', NULL, '0')`).join(', ');
    const source = `(SELECT * FROM (VALUES ${rows}) v(ts, msisdn, event, cell_id, peer, duration_s))`;
    // The test before, written out: 19 or 23 characters, dashes at 5 and 8, a space at 11, and a cast.
    const before = `(length(src.ts) NOT IN (19, 23) OR substr(src.ts, 5, 1) <> '-' OR substr(src.ts, 8, 1) <> '-'
      OR substr(src.ts, 11, 1) <> ' ' OR src.ts__v IS NULL)`;
    const judged = await warehouse.all<{ ts: string; now: string | null; before: boolean }>(
      `SELECT src.ts, ${compiled.failedField} AS now, ${before} AS before FROM ${compiled.relation(source)}`,
    );
    assert.equal(judged.length, values.length);
    for (const row of judged) {
      // cell 9001-1 is not in an empty cells feed; only the ts verdict is compared.
      assert.equal(row.now === 'ts', row.before, `${row.ts}: now ${row.now}, before ${row.before}`);
    }
    assert.deepEqual(
      judged.filter((r) => r.now !== 'ts').map((r) => r.ts),
      ['2026-03-01 10:00:00', '2026-03-01 10:00:00.123'],
    );
  } finally {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
