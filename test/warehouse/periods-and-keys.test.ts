// A file stands for its period and a key of the contract for one thing: rows far outside the file's
// day are quarantined, names with impossible dates are refused, and a key loaded from one file is a
// duplicate in any other, named with the file and line where it was first loaded.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fixedClock } from '../../src/shared/clock.ts';
import { type LoadDirectoryOptions, loadDirectory } from '../../src/warehouse/load/load-directory.ts';
import { csvLines, feedDir, referenceFeeds, validRows } from './feed-fixtures.ts';
import { openTempWarehouse } from './temp-warehouses.ts';

const clock = fixedClock('2026-03-12T00:00:00Z');

async function load(files: Record<string, string | Buffer | string[]>, options: Partial<LoadDirectoryOptions> = {}) {
  const warehouse = await openTempWarehouse('periods');
  const dir = feedDir(files);
  const summary = await loadDirectory(warehouse, dir, { clock, ...options });
  return { warehouse, summary, dir };
}

const sms = (ts: string) => ({ ...validRows.sms!, ts });
const smsOf8th = csvLines('sms', [
  sms('2026-03-08 09:00:00'), // line 2: the file's day
  sms('2026-03-09 10:00:00'), // line 3: the day after, within a day
  sms('2026-03-07 00:00:00'), // line 4: the very start of the tolerance
  sms('2026-03-10 00:00:00'), // line 5: the very end of it: outside
  sms('2026-03-06 23:59:59'), // line 6: outside
  sms('2025-03-08 09:00:00'), // line 7: a year off
]);

describe('rows outside their file’s period', () => {
  test('within a day they load on their own date and the note counts them; further out they are quarantined', async () => {
    const { warehouse, summary } = await load({ 'sms_20260308.csv': smsOf8th });
    assert.deepEqual(await warehouse.all("SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') AS ts FROM sms ORDER BY ts"), [
      { ts: '2026-03-07 00:00:00' },
      { ts: '2026-03-08 09:00:00' },
      { ts: '2026-03-09 10:00:00' },
    ]);
    assert.deepEqual(await warehouse.all('SELECT line, field, reason FROM quarantine ORDER BY line'), [
      { line: 5, field: 'ts', reason: 'ts "2026-03-10 00:00:00" is outside the file\'s period 2026-03-08 ± 1 day' },
      { line: 6, field: 'ts', reason: 'ts "2026-03-06 23:59:59" is outside the file\'s period 2026-03-08 ± 1 day' },
      { line: 7, field: 'ts', reason: 'ts "2025-03-08 09:00:00" is outside the file\'s period 2026-03-08 ± 1 day' },
    ]);
    const file = summary.files.find((f) => f.fileName === 'sms_20260308.csv')!;
    assert.ok(
      file.notes.includes('2 row(s) dated outside 2026-03-08 but within 2026-03-08 ± 1 day: loaded on their own dates'),
      file.notes.join('; '),
    );
    // Each row counts on its own day.
    assert.deepEqual(
      await warehouse.all('SELECT CAST(day AS VARCHAR) AS day FROM agg_subscriber_day GROUP BY day ORDER BY day'),
      [{ day: '2026-03-07' }, { day: '2026-03-08' }, { day: '2026-03-09' }],
    );
  });

  test('the tolerance is configurable: at 0 days only the file’s own day loads', async () => {
    const { warehouse } = await load({ 'sms_20260308.csv': smsOf8th }, { periodToleranceDays: 0 });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM sms'), 1);
    assert.deepEqual(await warehouse.one('SELECT reason FROM quarantine WHERE line = 3'), {
      reason: 'ts "2026-03-09 10:00:00" is outside the file\'s period 2026-03-08 ± 0 days',
    });
  });

  test('a bill of another month than its file’s is quarantined, whatever the tolerance', async () => {
    const bill = (month: string, msisdn: string) => ({ ...validRows.billing!, month, msisdn });
    const { warehouse } = await load(
      {
        'billing_202603.csv': csvLines('billing', [bill('2026-03', '13800000001'), bill('2026-04', '13800000002')]),
      },
      { periodToleranceDays: 5 },
    );
    assert.equal(await warehouse.scalar('SELECT count(*) FROM billing'), 1);
    assert.deepEqual(await warehouse.all('SELECT line, field, reason FROM quarantine'), [
      { line: 3, field: 'month', reason: 'month "2026-04" is outside the file\'s period 2026-03' },
    ]);
  });
});

describe('file names with impossible dates', () => {
  test('are rejected, saying what is impossible, while the other files load', async () => {
    const one = csvLines('sms', [validRows.sms!]);
    const { summary, warehouse } = await load({
      'sms_20261345.csv': one,
      'sms_20260230.csv': one,
      'billing_202613.csv': csvLines('billing', [validRows.billing!]),
      'sms_20260301.csv': one,
    });
    const told = Object.fromEntries(summary.rejected.map((r) => [r.fileName, r.error.describe().split('\n')[0]]));
    assert.deepEqual(told, {
      'billing_202613.csv': 'billing_202613.csv: the date 202613 in the name is impossible: month 13 does not exist',
      'sms_20260230.csv': 'sms_20260230.csv: the date 20260230 in the name is impossible: 2026-02 has no day 30',
      'sms_20261345.csv': 'sms_20261345.csv: the date 20261345 in the name is impossible: month 13 does not exist',
    });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM sms'), 1);
    assert.equal(await warehouse.scalar("SELECT count(*) FROM load_files WHERE period = '20261345'"), 0);
  });
});

describe('keys unique across files', () => {
  const order = (order_id: string, ts: string) => ({ ...validRows.orders!, order_id, ts });

  test('an order id loaded from one file is quarantined in the next, naming the file and line of the first', async () => {
    const { warehouse, summary } = await load({
      'orders_20260301.csv': csvLines('orders', [
        order('O1', '2026-03-01 10:00:00'),
        order('O2', '2026-03-01 11:00:00'),
      ]),
      'orders_20260302.csv': csvLines('orders', [
        order('O3', '2026-03-02 10:00:00'),
        order('O2', '2026-03-02 11:00:00'),
      ]),
    });
    assert.deepEqual(await warehouse.all('SELECT order_id, CAST(ts AS VARCHAR) AS ts FROM orders ORDER BY order_id'), [
      { order_id: 'O1', ts: '2026-03-01 10:00:00' },
      { order_id: 'O2', ts: '2026-03-01 11:00:00' },
      { order_id: 'O3', ts: '2026-03-02 10:00:00' },
    ]);
    assert.deepEqual(await warehouse.all('SELECT file_name, line, field, reason FROM quarantine'), [
      {
        file_name: 'orders_20260302.csv',
        line: 3,
        field: 'order_id',
        reason: 'order_id "O2" was loaded already from orders_20260301.csv line 3',
      },
    ]);
    assert.equal(summary.quarantinedByReason['orders: order_id "…" was loaded already from orders_20260301.csv'], 1);
  });

  test('also across runs: a later delivery repeating an order loaded yesterday', async () => {
    const { warehouse, dir } = await load({
      'orders_20260301.csv': csvLines('orders', [order('O1', '2026-03-01 10:00:00')]),
    });
    writeFileSync(
      join(dir, 'orders_20260302.csv'),
      `${csvLines('orders', [order('O1', '2026-03-02 09:00:00'), order('O9', '2026-03-02 09:30:00')]).join('\n')}\n`,
    );
    await loadDirectory(warehouse, dir, { clock });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM orders'), 2);
    assert.deepEqual(await warehouse.all('SELECT file_name, line, reason FROM quarantine'), [
      {
        file_name: 'orders_20260302.csv',
        line: 2,
        reason: 'order_id "O1" was loaded already from orders_20260301.csv line 2',
      },
    ]);
  });

  test('a snapshot delivered twice (plain and gzip): the second occurrence of each key is quarantined', async () => {
    const services = [...referenceFeeds['services.csv']!, 'GAME,游戏,game,2.00,0'];
    const { warehouse } = await load({
      'services.csv': referenceFeeds['services.csv']!,
      'services.csv.gz': gzipSync(Buffer.from(`${services.join('\n')}\n`)),
    });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM services'), 4);
    assert.deepEqual(
      await warehouse.all("SELECT line, reason FROM quarantine WHERE file_name = 'services.csv.gz' ORDER BY line"),
      [
        { line: 2, reason: 'service_id "CRBT" was loaded already from services.csv line 2' },
        { line: 3, reason: 'service_id "NEWS" was loaded already from services.csv line 3' },
        { line: 4, reason: 'service_id "12580" was loaded already from services.csv line 4' },
      ],
    );
  });
});
