// A file its bytes prove clean loads by casts alone (record-validator.ts); everything else takes the
// checked path. The two must agree: the same rows in the tables, the same quarantine, the same
// counts, whatever the file holds. Here both run over every kind of defect, one per file, over clean
// files of every daily feed, over files that are valid but hard to prove, and over mutated rows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type FeedName, type FieldSpec, feeds } from '../../src/feeds/contract.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { ByteKeySet } from '../../src/warehouse/load/byte-key-set.ts';
import { compiledFeed } from '../../src/warehouse/load/compile-feed-sql.ts';
import { filePeriod, periodSql } from '../../src/warehouse/load/file-period.ts';
import { loadDirectory } from '../../src/warehouse/load/load-directory.ts';
import { provenInsertSql, provenReadTypes } from '../../src/warehouse/load/proven-insert-sql.ts';
import { readCsvSql } from '../../src/warehouse/load/read-csv-sql.ts';
import { RecordValidator } from '../../src/warehouse/load/record-validator.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { feedDir, validRows } from './feed-fixtures.ts';
import { openTempWarehouse } from './temp-warehouses.ts';

const clock = fixedClock('2026-06-01T00:00:00Z');
const openWarehouse = () => openTempWarehouse('proven');

/** Feeds whose files can be proven: daily, without keys. */
const provable: FeedName[] = ['sms', 'wap', 'ivr', 'crbt', 'web', 'signalling'];

const dayOf = (index: number) => new Date(Date.UTC(2026, 2, 1) + index * 86_400_000).toISOString().slice(0, 10);
const compact = (day: string) => day.replaceAll('-', '');

/** A valid row of the feed dated on `day`, the `i`-th of its file (values vary a little). */
function row(feed: FeedName, day: string, i: number): Record<string, string> {
  const base = { ...validRows[feed]! };
  const second = String(i % 60).padStart(2, '0');
  if ('ts' in base) base.ts = `${day} 09:00:${second}${feed === 'signalling' ? `.${String(i).padStart(3, '0')}` : ''}`;
  if ('msisdn' in base) base.msisdn = `1380000000${1 + (i % 4)}`;
  if (feed === 'signalling') {
    base.cell_id = i % 2 === 0 ? '9001-1' : '9001-2';
    base.peer = i % 3 === 0 ? '' : base.peer!;
  }
  if (feed === 'sms') base.service_id = i % 2 === 0 ? '' : 'NEWS';
  return base;
}

function lines(feed: FeedName, rows: Record<string, string>[]): string[] {
  const columns = feeds[feed].fields.map((f) => f.name);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => r[c] ?? '').join(','))];
}

/** Wrong values for a field of the contract, each of which the SQL checks refuse. */
function wrongValues(field: FieldSpec, day: string): string[] {
  const type = field.type;
  const values: string[] = field.optional ? [] : [''];
  switch (type.kind) {
    case 'msisdn':
      values.push('1380000000', '138000000012', '1380000000a', ' 13800000001', '13800000001 ');
      break;
    case 'digits':
      values.push('+8613800000000', '12a', '1'.repeat(22), ' 114');
      break;
    case 'int':
      values.push('1.5', 'x', '1e3', '--1', '+5', ' 5');
      if (type.min !== undefined) values.push(String(type.min - 1));
      if (type.max !== undefined) values.push(String(type.max + 1));
      break;
    case 'enum':
      // A word cut short or run on shares its first byte with a value: the dispatch on it must not pass them.
      values.push('bogus', type.values[0]!.toUpperCase(), `${type.values[0]} `);
      values.push(type.values[0]!.slice(0, -1), `${type.values[0]}x`, `${type.values.at(-1)}${type.values[0]}`);
      break;
    case 'text':
      if (type.maxLength) values.push('x'.repeat(type.maxLength + 1), '汉'.repeat(type.maxLength + 1));
      break;
    case 'timestamp': {
      const millis = type.millis ? '.123' : '';
      values.push(
        day,
        `${day}T10:00:00${millis}`,
        `${day.replaceAll('-', '/')} 10:00:00${millis}`,
        `${day} 24:00:00${millis}`,
        `${day} 10:60:00${millis}`,
        `${day} 10:00:61${millis}`,
        ` ${day} 10:00:00${millis}`,
        `${day} 10:00:00.1234`,
        `${day} 10:00:00.12`,
        `${day} 10:00:00.`,
        `${day} 10:0:00`,
        '2026-02-30 10:00:00',
        `${dayOf(-40)} 10:00:00${millis}`, // outside the file's period
      );
      if (!type.millis) values.push(`${day} 10:00:00.123`);
      break;
    }
    default:
      break;
  }
  if (field.references) values.push(field.name === 'msisdn' ? '13900000000' : 'UNKNOWN-1');
  return values;
}

interface Case {
  file: string;
  content: string | Buffer;
  /** The rows all load, though the bytes may not prove it. */
  valid: boolean;
  /** Expected to load by casts alone. */
  proven?: boolean;
}

/** Every defect, one per file, plus clean files and valid files in forms the validator may doubt. */
function cases(): Case[] {
  const out: Case[] = [];
  let index = 0;
  const next = (feed: FeedName) => {
    const day = dayOf(index++);
    return { day, file: `${feed}_${compact(day)}.csv` };
  };
  for (const feed of provable) {
    const spec = feeds[feed];
    {
      const { day, file } = next(feed);
      const rows = Array.from({ length: 12 }, (_, i) => row(feed, day, i));
      out.push({ file, content: `${lines(feed, rows).join('\n')}\n`, valid: true, proven: true });
    }
    // The time and the number have the same scanners in every feed: signalling (with .mmm) and sms
    // try them, the other feeds their own fields.
    const full = feed === 'signalling' || feed === 'sms';
    for (const field of spec.fields) {
      if (!full && (field.name === 'ts' || field.name === 'msisdn')) continue;
      for (const wrong of wrongValues(field, dayOf(index))) {
        const { day, file } = next(feed);
        const rows = Array.from({ length: 4 }, (_, i) => row(feed, day, i));
        rows[2]![field.name] = wrong;
        out.push({ file, content: `${lines(feed, rows).join('\n')}\n`, valid: false });
      }
    }
    if (!full) continue;
    const structural = (edit: (text: string[]) => string[] | string | Buffer, valid: boolean, proven?: boolean) => {
      const { day, file } = next(feed);
      const text = lines(
        feed,
        Array.from({ length: 4 }, (_, i) => row(feed, day, i)),
      );
      const edited = edit(text);
      out.push({
        file,
        content: Array.isArray(edited) ? `${edited.join('\n')}\n` : edited,
        valid,
        ...(proven !== undefined ? { proven } : {}),
      });
    };
    structural((t) => t.map((l, i) => (i === 2 ? l.slice(0, l.lastIndexOf(',')) : l)), false); // a field short
    structural((t) => t.map((l, i) => (i === 2 ? `${l},extra` : l)), false); // a field too many
    structural((t) => t.map((l, i) => (i === 2 ? l.replace('1380000000', '13800"00000') : l)), false); // a stray quote
    // Not UTF-8 on one line of twelve (more, and the whole file is refused as not UTF-8).
    structural(
      (t) =>
        Buffer.from(
          `${[...t, ...t.slice(1), ...t.slice(1)].join('\n')}\n`.replace('1380000000', '138\xff0000000'),
          'latin1',
        ),
      false,
    );
    structural((t) => t.map((l, i) => (i === 2 ? l.replace('1380000000', '13800\r00000') : l)), false); // a CR inside
    structural((t) => `${t.join('\r\n')}\r\n`, true, true); // CRLF
    structural((t) => `\uFEFF${t.join('\n')}\n`, true, true); // byte-order mark
    structural((t) => t.join('\n'), true, true); // no newline at the end
    structural((t) => t.map((l, i) => (i === 0 ? `${l},note` : `${l},"quoted, as CSV may"`)), true, false); // extra column
    structural((t) => t.map((l, i) => (i === 0 ? `${l},note` : `${l},free text`)), true, true);
    structural((t) => [...t.slice(0, 2), '', ...t.slice(2)], true, false); // a blank line
    structural((t) => t.map((l, i) => (i === 2 ? l.replace(/(1380000000\d)/, '"$1"') : l)), true, false); // quoted
  }
  // Compressed: the validator reads the bytes after gunzip, DuckDB the .gz.
  const day = dayOf(index++);
  const rows = Array.from({ length: 6 }, (_, i) => row('signalling', day, i));
  const content = gzipSync(`${lines('signalling', rows).join('\n')}\n`);
  out.push({ file: `signalling_${compact(day)}.csv.gz`, content, valid: true, proven: true });
  return out;
}

const tables = (w: Warehouse, feed: FeedName) =>
  w.all(
    `SELECT lf.file_name, t.* EXCLUDE (file_id) FROM ${compiledFeed(feed).table} t JOIN load_files lf USING (file_id) ORDER BY ALL`,
  );

describe('files proven clean on their bytes', () => {
  test('load the same rows, quarantine and counts as the checked path, defect by defect', async () => {
    const all = cases();
    const extra: Record<string, string[]> = {
      // Clean files of the keyed daily and monthly feeds: never proven, loaded the same.
      'orders_20260301.csv': lines('orders', [validRows.orders!]),
      'billing_202603.csv': lines('billing', [validRows.billing!]),
    };
    const dir = feedDir({ ...extra, ...Object.fromEntries(all.map((c) => [c.file, c.content])) });
    const proved = await openWarehouse();
    const checked = await openWarehouse();
    const a = await loadDirectory(proved, dir, { clock, derived: false });
    const b = await loadDirectory(checked, dir, { clock, derived: false, byteProof: false });

    for (const feed of [...provable, 'orders', 'billing'] as FeedName[]) {
      assert.deepEqual(await tables(proved, feed), await tables(checked, feed), `${feed}: the loaded rows`);
    }
    const quarantine = 'SELECT file_name, line, field, reason, raw FROM quarantine ORDER BY ALL';
    assert.deepEqual(await proved.all(quarantine), await checked.all(quarantine));
    const counts =
      'SELECT file_name, rows_read, rows_loaded, rows_quarantined, notes FROM load_files ORDER BY file_name';
    assert.deepEqual(await proved.all(counts), await checked.all(counts));
    assert.deepEqual(
      a.rejected.map((r) => r.fileName),
      b.rejected.map((r) => r.fileName),
    );

    const byFile = new Map(a.files.map((f) => [f.fileName, f]));
    const rejected = new Set(a.rejected.map((r) => r.fileName));
    for (const c of all) {
      const result = byFile.get(c.file);
      if (rejected.has(c.file)) {
        assert.equal(
          c.valid,
          false,
          `${c.file} is refused whole: ${a.rejected.find((r) => r.fileName === c.file)?.error.message}`,
        );
        continue;
      }
      assert.ok(result, `${c.file} was loaded`);
      assert.equal(result.rowsQuarantined > 0, !c.valid, `${c.file}: ${result.rowsQuarantined} quarantined`);
      // A file with a defect is never proven; a clean one in plain form always is.
      if (!c.valid) assert.notEqual(result.provenByBytes, true, `${c.file} must not be proven`);
      if (c.proven !== undefined) assert.equal(result.provenByBytes === true, c.proven, `${c.file} proven`);
    }
    assert.equal(byFile.get('orders_20260301.csv')?.provenByBytes, undefined);
    assert.ok(
      b.files.every((f) => f.provenByBytes === undefined),
      'with byteProof off nothing is proven',
    );
    assert.ok(all.filter((c) => !c.valid).length > 80, 'every kind of defect is there');
  });

  for (const feed of ['signalling', 'sms', 'wap'] as FeedName[]) {
    test(`never pass a mutated ${feed} row the SQL checks refuse`, async () => {
      const warehouse = await openWarehouse();
      await loadDirectory(warehouse, feedDir(), { clock, derived: false });
      const spec = feeds[feed];
      const columns = spec.fields.map((f) => f.name);
      // Mutations from a fixed seed: a byte replaced, dropped or added, never a newline.
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      // No quote and no CR: a quote would join the lines after it into one record of the SQL's read,
      // and a CR inside a line makes DuckDB refuse the whole file (the first test has both, one file each).
      const alphabet = ['0', '1', '9', '-', ':', ' ', '.', ',', 'a', '汉', '_', '2', '5', '\t'];
      const original = lines(feed, [row(feed, '2026-03-01', 5)])[1]!;
      const mutated: string[] = [];
      for (let n = 0; n < 600; n++) {
        let text = original;
        for (let k = 0, edits = 1 + random(2); k < edits; k++) {
          const at = random(text.length + 1);
          const char = alphabet[random(alphabet.length)]!;
          const kind = random(3);
          if (kind === 0) text = text.slice(0, at) + char + text.slice(at + 1);
          else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1);
          else text = text.slice(0, at) + char + text.slice(at);
        }
        mutated.push(text);
      }
      const header = `row_id,${columns.join(',')}`;
      const dir = feedDir({ 'rows.csv': [header, ...mutated.map((m, i) => `${i},${m}`)] }, false);
      const period = filePeriod(spec, '20260301', 1)!;
      const compiled = compiledFeed(feed);
      const source = readCsvSql([join(dir, 'rows.csv')], ['row_id', ...columns]);
      const relation = compiled.relation(source, { passThrough: ['row_id'], period: periodSql(period)! });
      const sqlAccepts = new Set(
        (
          await warehouse.all<{ id: string }>(`SELECT src.row_id AS id FROM ${relation} WHERE ${compiled.okPredicate}`)
        ).map((r) => Number(r.id)),
      );
      const references = new Map<string, ByteKeySet>();
      for (const field of spec.fields) {
        if (!field.references) continue;
        const keys = await warehouse.all<{ k: string }>(
          `SELECT DISTINCT ${field.references.field} AS k FROM ${compiledFeed(field.references.feed).table}`,
        );
        references.set(field.name, new ByteKeySet(keys.map((r) => r.k)));
      }
      let proven = 0;
      mutated.forEach((text, i) => {
        const validator = new RecordValidator(spec, { references, period });
        validator.feed(Buffer.from(`${header}\n${i},${text}\n`));
        if (!validator.finish().clean) return;
        proven++;
        assert.ok(sqlAccepts.has(i), `the bytes passed ${JSON.stringify(text)}, the SQL refuses it`);
      });
      // Not vacuous: some mutations keep the row valid and are proven so.
      assert.ok(proven > 10, `${proven} mutated rows proven`);
      assert.ok(sqlAccepts.size < mutated.length / 2, `${sqlAccepts.size} rows the SQL accepts`);
    });
  }

  test('a proven insert leaves out a row whose cast fails instead of failing the batch', async () => {
    const warehouse = await openWarehouse();
    const dir = feedDir(
      {
        'x.csv': lines('signalling', [
          row('signalling', '2026-03-01', 1),
          { ...row('signalling', '2026-03-01', 2), ts: '2026-02-30 10:00:00' },
        ]),
      },
      false,
    );
    const columns = feeds.signalling.fields.map((f) => f.name);
    await warehouse.run(
      provenInsertSql(feeds.signalling, {
        table: 'signalling',
        source: readCsvSql([join(dir, 'x.csv')], columns),
        fileId: '99',
      }),
    );
    assert.equal(await warehouse.scalar('SELECT count(*) FROM signalling WHERE file_id = 99'), 1);
  });

  test('read with its times and numbers typed, a proven file whose cast would fail comes up short the same way', async () => {
    const warehouse = await openWarehouse();
    const dir = feedDir(
      {
        'x.csv': lines('signalling', [
          row('signalling', '2026-03-01', 1),
          { ...row('signalling', '2026-03-01', 2), ts: '2026-02-30 10:00:00' },
          { ...row('signalling', '2026-03-01', 3), duration_s: '99999999999999999999' },
          row('signalling', '2026-03-01', 4),
        ]),
      },
      false,
    );
    const spec = feeds.signalling;
    assert.deepEqual(provenReadTypes(spec), { ts: 'TIMESTAMP', duration_s: 'BIGINT' });
    const columns = spec.fields.map((f) => f.name);
    const read = (types?: Record<string, string>) =>
      provenInsertSql(spec, {
        table: 'signalling',
        source: readCsvSql([join(dir, 'x.csv')], columns, types ? { types } : {}),
        fileId: types ? '98' : '99',
      });
    await warehouse.run(read(provenReadTypes(spec)));
    await warehouse.run(read());
    const rows = (fileId: number) =>
      warehouse.all(`SELECT * EXCLUDE (file_id) FROM signalling WHERE file_id = ${fileId} ORDER BY ALL`);
    assert.equal((await rows(98)).length, 2);
    assert.deepEqual(await rows(98), await rows(99));
  });

  test('read the reference keys as bytes', () => {
    const set = new ByteKeySet(['9001-1', '9001-2', '汉字']);
    const bytes = Buffer.from('x,9001-2,9001-3,汉字,9001-');
    assert.equal(set.has(bytes, 2, 8), true);
    assert.equal(set.has(bytes, 9, 15), false);
    assert.equal(set.has(bytes, 16, 22), true);
    assert.equal(set.has(bytes, 23, 28), false);
  });
});
