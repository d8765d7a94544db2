// Files broken in part: a stray quote, a byte that is not UTF-8, a file DuckDB refuses. Each costs
// only what it breaks: its own line, or its own file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixedClock } from '../../src/shared/clock.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { csvLines, feedDir, validRows } from './feed-fixtures.ts';
import { openTempWarehouse } from './temp-warehouses.ts';

const clock = fixedClock('2026-03-05T00:00:00Z');

async function load(files: Record<string, string | Buffer | string[]>) {
  const warehouse = await openTempWarehouse('broken');
  const summary = await loadDirectory(warehouse, feedDir(files), { clock });
  return { warehouse, summary };
}

/** 200 SMS rows of one day, line n (1-based, the header is line 1) changed by `change`. */
function smsFile(day: string, change: (line: number, row: string) => string = (_, row) => row): string[] {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    ...validRows.sms!,
    ts: `${day} 09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
  }));
  const [header, ...lines] = csvLines('sms', rows);
  return [header!, ...lines.map((row, i) => change(i + 2, row))];
}

describe('a stray quote costs its own line', () => {
  test('an unclosed quote on line 41 of 200 rows: 199 load, line 41 alone is quarantined', async () => {
    const lines = smsFile('2026-03-01', (n, row) => (n === 41 ? row.replace('10658000', '"10658000') : row));
    const { warehouse, summary } = await load({ 'sms_20260301.csv': lines });
    const file = summary.files.find((f) => f.fileName === 'sms_20260301.csv')!;
    assert.deepEqual(
      { read: file.rowsRead, loaded: file.rowsLoaded, quarantined: file.rowsQuarantined },
      { read: 200, loaded: 199, quarantined: 1 },
    );
    assert.equal(await warehouse.scalar('SELECT count(*) FROM sms'), 199);
    assert.deepEqual(
      await warehouse.all("SELECT line, field, reason, raw FROM quarantine WHERE file_name = 'sms_20260301.csv'"),
      [
        {
          line: 41,
          field: null,
          reason:
            'a quote opens a field that does not close on this line (a stray quote?): the line is set aside, the next is read on its own',
          raw: lines[40]!,
        },
      ],
    );
  });

  test('two stray quotes, on lines 41 and 90, in the same column: each costs its own line', async () => {
    const lines = smsFile('2026-03-01', (n, row) =>
      n === 41 || n === 90 ? row.replace('10658000', '"10658000') : row,
    );
    const { warehouse, summary } = await load({ 'sms_20260301.csv': lines });
    const file = summary.files.find((f) => f.fileName === 'sms_20260301.csv')!;
    assert.deepEqual([file.rowsRead, file.rowsLoaded, file.rowsQuarantined], [200, 198, 2]);
    assert.deepEqual(
      await warehouse.all("SELECT line FROM quarantine WHERE file_name = 'sms_20260301.csv' ORDER BY line"),
      [{ line: 41 }, { line: 90 }],
    );
  });

  test('the summary accounts for every line: loaded + quarantined = read', async () => {
    const lines = smsFile('2026-03-01', (n, row) => (n === 150 ? row.replace('NEWS', '"NEWS') : row));
    const { summary } = await load({ 'sms_20260301.csv': lines });
    assert.equal(summary.rowsRead, summary.rowsLoaded + summary.rowsQuarantined);
    const file = summary.files.find((f) => f.fileName === 'sms_20260301.csv')!;
    assert.deepEqual([file.rowsRead, file.rowsLoaded, file.rowsQuarantined], [200, 199, 1]);
  });
});

describe('two files of one feed, one of them broken', () => {
  test('broken quoting in one file: the good file loads whole, the bad one is listed by name with its line', async () => {
    const { warehouse, summary } = await load({
      'sms_20260301.csv': smsFile('2026-03-01'),
      'sms_20260302.csv': smsFile('2026-03-02', (n, row) => (n === 41 ? row.replace('10658000', '"10658000"x') : row)),
    });
    assert.equal(await warehouse.scalar("SELECT count(*) FROM sms WHERE CAST(ts AS DATE) = '2026-03-01'"), 200);
    const bad = summary.files.find((f) => f.fileName === 'sms_20260302.csv');
    assert.ok(bad, `sms_20260302.csv should be listed; rejected: ${summary.rejected.map((r) => r.fileName)}`);
    assert.deepEqual([bad.rowsRead, bad.rowsLoaded, bad.rowsQuarantined], [200, 199, 1]);
    assert.deepEqual(await warehouse.all("SELECT line FROM quarantine WHERE file_name = 'sms_20260302.csv'"), [
      { line: 41 },
    ]);
  });

  test('a file DuckDB refuses (gzip padded with zeros): the good file loads, the bad one is rejected by name', async () => {
    const padded = Buffer.concat([gzipSync(Buffer.from(`${smsFile('2026-03-02').join('\n')}\n`)), Buffer.alloc(64)]);
    const { warehouse, summary } = await load({
      'sms_20260301.csv': smsFile('2026-03-01'),
      'sms_20260302.csv.gz': padded,
    });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM sms'), 200);
    assert.deepEqual(
      summary.rejected.map((r) => r.fileName),
      ['sms_20260302.csv.gz'],
    );
    assert.match(summary.rejected[0]!.error.describe(), /^sms_20260302\.csv\.gz: /);
    assert.deepEqual(
      summary.files.map((f) => [f.fileName, f.rowsLoaded]).filter(([name]) => String(name).startsWith('sms')),
      [['sms_20260301.csv', 200]],
    );
  });
});

/** The SMS file of smsFile with the bytes 0xFF 0xFE in place of the service id's "E" on `line`. */
function smsWithBadByte(day: string, line: number): Buffer {
  const lines = smsFile(day);
  const before = Buffer.from(`${lines.slice(0, line - 1).join('\n')}\n`);
  const [head, tail] = lines[line - 1]!.split('NEWS');
  const bad = Buffer.concat([Buffer.from(`${head}N`), Buffer.from([0xff, 0xfe]), Buffer.from(`WS${tail}\n`)]);
  return Buffer.concat([before, bad, Buffer.from(`${lines.slice(line).join('\n')}\n`)]);
}

describe('bytes that are not UTF-8', () => {
  const reason =
    'the row holds bytes that are not valid UTF-8 (shown as \uFFFD in raw); if the file comes from a GBK system, load it with --encoding gbk';

  test('one bad byte in one row of 200: that row is quarantined with its line and field, the rest loads', async () => {
    const { warehouse, summary } = await load({ 'sms_20260301.csv': smsWithBadByte('2026-03-01', 50) });
    assert.deepEqual(summary.rejected, []);
    const file = summary.files.find((f) => f.fileName === 'sms_20260301.csv')!;
    assert.deepEqual([file.rowsRead, file.rowsLoaded, file.rowsQuarantined], [200, 199, 1]);
    assert.ok(
      file.notes.some((n) => /1 line\(s\) not valid UTF-8/.test(n)),
      file.notes.join('; '),
    );
    assert.deepEqual(
      await warehouse.all("SELECT line, field, reason FROM quarantine WHERE file_name = 'sms_20260301.csv'"),
      [{ line: 50, field: 'service_id', reason }],
    );
    assert.equal(await warehouse.scalar('SELECT count(*) FROM sms'), 199);
  });

  test('in a feed of two files, the bad row costs only itself', async () => {
    const { warehouse, summary } = await load({
      'sms_20260301.csv': smsFile('2026-03-01'),
      'sms_20260302.csv': smsWithBadByte('2026-03-02', 120),
    });
    assert.deepEqual(summary.rejected, []);
    assert.deepEqual(
      await warehouse.all(
        'SELECT CAST(ts AS DATE)::VARCHAR AS day, count(*)::INTEGER AS n FROM sms GROUP BY day ORDER BY day',
      ),
      [
        { day: '2026-03-01', n: 200 },
        { day: '2026-03-02', n: 199 },
      ],
    );
    assert.deepEqual(await warehouse.all('SELECT file_name, line FROM quarantine'), [
      { file_name: 'sms_20260302.csv', line: 120 },
    ]);
  });

  test('a file that is not text at all is still rejected whole, saying why', async () => {
    const utf16 = Buffer.from(`\uFEFF${smsFile('2026-03-01').join('\n')}\n`, 'utf16le');
    const { summary } = await load({ 'sms_20260301.csv': utf16, 'sms_20260302.csv': smsFile('2026-03-02') });
    assert.deepEqual(
      summary.rejected.map((r) => r.fileName),
      ['sms_20260301.csv'],
    );
    assert.match(summary.rejected[0]!.error.describe(), /sms_20260301\.csv(: | line 1: )the (file is not text|header)/);
    assert.equal(summary.files.find((f) => f.fileName === 'sms_20260302.csv')?.rowsLoaded, 200);
  });
});
