// Whole-file problems get one clear message naming the file; quirks that lose nothing are accepted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { fixedClock } from '../../src/shared/clock.ts';
import { type LoadSummary, loadDirectory } from '../../src/warehouse/load/index.ts';
import { csvLines, feedDir, referenceFeeds, validRows } from './feed-fixtures.ts';
import { openTempWarehouse } from './temp-warehouses.ts';

const clock = fixedClock('2026-03-02T00:00:00Z');

async function load(
  files: Record<string, string | Buffer | string[]>,
  options: { encoding?: 'utf8' | 'gbk'; dir?: string } = {},
) {
  const warehouse = await openTempWarehouse('files');
  const dir = options.dir ?? feedDir(files);
  const summary = await loadDirectory(warehouse, dir, {
    clock,
    ...(options.encoding ? { encoding: options.encoding } : {}),
  });
  return { warehouse, summary, dir };
}

function rejection(summary: LoadSummary, fileName: string): string {
  const found = summary.rejected.find((r) => r.fileName === fileName);
  assert.ok(found, `${fileName} should be rejected; rejected: ${summary.rejected.map((r) => r.fileName).join(', ')}`);
  return found.error.describe();
}

const ordersText = csvLines('orders', [validRows.orders!]).join('\n') + '\n';

describe('whole-file checks', () => {
  test('an empty file is rejected by name', async () => {
    const { summary } = await load({ 'orders_20260301.csv': '' });
    assert.match(rejection(summary, 'orders_20260301.csv'), /^orders_20260301\.csv: the file is empty/);
  });

  test('a truncated gzip is rejected by name, and other files still load', async () => {
    const gz = gzipSync(Buffer.from(ordersText.repeat(50)));
    const { summary, warehouse } = await load({ 'orders_20260301.csv.gz': gz.subarray(0, gz.length - 20) });
    assert.match(rejection(summary, 'orders_20260301.csv.gz'), /orders_20260301\.csv\.gz: the gzip file is truncated/);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM subscribers'), 4);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM orders'), 0);
  });

  test('a complete gzip loads', async () => {
    const { summary, warehouse } = await load({ 'orders_20260301.csv.gz': gzipSync(Buffer.from(ordersText)) });
    assert.equal(summary.rejected.length, 0);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM orders'), 1);
  });

  test('a missing required column names the column', async () => {
    const text = ordersText.replace('confirmed,', '').replace(',1,1,', ',1,');
    const { summary } = await load({ 'orders_20260301.csv': text });
    assert.equal(
      rejection(summary, 'orders_20260301.csv').split('\n')[0],
      'orders_20260301.csv line 1: missing required column confirmed',
    );
  });

  test('a semicolon-separated file is told its delimiter', async () => {
    const { summary } = await load({ 'orders_20260301.csv': ordersText.replaceAll(',', ';') });
    assert.match(
      rejection(summary, 'orders_20260301.csv'),
      /orders_20260301\.csv line 1: the header is separated by ";", not commas/,
    );
  });

  test('CRLF line endings and a UTF-8 byte-order mark load, with a note naming the file', async () => {
    const text = `\uFEFF${ordersText.replaceAll('\n', '\r\n')}`;
    const { summary, warehouse } = await load({ 'orders_20260301.csv': text });
    assert.equal(summary.rejected.length, 0);
    const file = summary.files.find((f) => f.fileName === 'orders_20260301.csv')!;
    assert.deepEqual(file.notes, ['UTF-8 byte-order mark skipped', 'CRLF line endings accepted']);
    const row = await warehouse.one<{ order_id: string; campaign_id: string | null }>(
      'SELECT order_id, campaign_id FROM orders',
    );
    assert.deepEqual(row, { order_id: 'O1', campaign_id: null });
  });

  test('GBK input loads with --encoding gbk and keeps the Chinese text', async () => {
    const cells = [
      'cell_id,lac,ci,name,lat,lon,region,county,area_type',
      '9001-1,9001,1,火车站-1,23.74,114.70,河源,源城,station',
    ];
    const dir = feedDir({ 'cells.csv': iconv.encode(`${cells.join('\n')}\n`, 'gbk') }, false);
    const { warehouse, summary } = await load({}, { dir, encoding: 'gbk' });
    assert.equal(summary.rejected.length, 0);
    assert.equal(await warehouse.scalar(`SELECT count(*) FROM cells WHERE name = '火车站-1' AND county = '源城'`), 1);
  });

  test('GBK input without --encoding gbk is rejected with the fix', async () => {
    const cells = [
      'cell_id,lac,ci,name,lat,lon,region,county,area_type',
      '9001-1,9001,1,火车站-1,23.74,114.70,河源,源城,station',
    ];
    const dir = feedDir({ 'cells.csv': iconv.encode(`${cells.join('\n')}\n`, 'gbk') }, false);
    const { summary } = await load({}, { dir });
    assert.match(
      rejection(summary, 'cells.csv'),
      /cells\.csv: the file is not valid UTF-8 \(1 of 1 rows, first on line 2\)\n {2}hint: .*--encoding gbk/,
    );
  });

  test('a file whose name is not a feed is rejected, other files are ignored and listed', async () => {
    const { summary } = await load({ 'calls_20260301.csv': 'a,b\n1,2\n', 'README.txt': 'hello' });
    assert.match(rejection(summary, 'calls_20260301.csv'), /unknown feed "calls"/);
    assert.deepEqual(summary.ignored, ['README.txt']);
  });

  test('duplicate keys in a snapshot are quarantined, all of them, with the count', async () => {
    const { warehouse } = await load({
      'services.csv': [
        'service_id,name,category,monthly_fee,trial_months',
        'CRBT,彩铃,crbt,5.00,0',
        'CRBT,彩铃2,crbt,6.00,0',
        'NEWS,手机报,news,3.00,1',
      ],
    });
    const rows = await warehouse.all(
      "SELECT line, field, reason FROM quarantine WHERE file_name = 'services.csv' ORDER BY line",
    );
    assert.deepEqual(rows, [
      { line: 2, field: 'service_id', reason: 'duplicate service_id "CRBT" appears 2 times in the file' },
      { line: 3, field: 'service_id', reason: 'duplicate service_id "CRBT" appears 2 times in the file' },
    ]);
  });
});

describe('re-runs', () => {
  test('loading the same folder twice changes nothing', async () => {
    const files = {
      'orders_20260301.csv': ordersText,
      'signalling_20260301.csv': csvLines('signalling', [validRows.signalling!]),
    };
    const { warehouse, dir } = await load(files);
    const before = await warehouse.all(
      'SELECT (SELECT count(*) FROM orders) o, (SELECT count(*) FROM signalling) s, (SELECT count(*) FROM agg_cell_hour) a',
    );
    const again = await loadDirectory(warehouse, dir, { clock });
    assert.deepEqual(
      again.files.map((f) => f.outcome),
      again.files.map(() => 'skipped'),
    );
    const after = await warehouse.all(
      'SELECT (SELECT count(*) FROM orders) o, (SELECT count(*) FROM signalling) s, (SELECT count(*) FROM agg_cell_hour) a',
    );
    assert.deepEqual(after, before);
  });

  test('a file re-delivered with new content replaces the old rows', async () => {
    const { warehouse, dir } = await load({ 'orders_20260301.csv': ordersText });
    const second = csvLines('orders', [
      validRows.orders!,
      { ...validRows.orders!, order_id: 'O2', msisdn: '13800000004' },
    ]);
    writeFileSync(join(dir, 'orders_20260301.csv'), `${second.join('\n')}\n`);
    const summary = await loadDirectory(warehouse, dir, { clock });
    assert.equal(summary.files.find((f) => f.fileName === 'orders_20260301.csv')!.outcome, 'replaced');
    assert.deepEqual(await warehouse.all('SELECT order_id FROM orders ORDER BY order_id'), [
      { order_id: 'O1' },
      { order_id: 'O2' },
    ]);
    assert.equal(await warehouse.scalar(`SELECT sum(orders) FROM agg_area_service_day`), 2);
  });
});

describe('reload after a late snapshot', () => {
  test('rows quarantined for an unknown subscriber load once the subscriber arrives and the file is reloaded', async () => {
    const late = { ...validRows.orders!, order_id: 'O2', msisdn: '13800000009' };
    const { warehouse, dir } = await load({ 'orders_20260301.csv': csvLines('orders', [validRows.orders!, late]) });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM quarantine'), 1);
    writeFileSync(
      join(dir, 'subscribers.csv'),
      `${[...referenceFeeds['subscribers.csv']!, '13800000009,easyown,河源,紫金,P1,2026-02-01,1990,M,active,2026-02-01'].join('\n')}\n`,
    );
    await loadDirectory(warehouse, dir, { clock });
    assert.equal(
      await warehouse.scalar('SELECT count(*) FROM orders'),
      1,
      'a plain re-run skips the unchanged order file',
    );
    await loadDirectory(warehouse, dir, { clock, reload: true });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM orders'), 2);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM quarantine'), 0);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM subscribers'), 5);
  });
});

describe('line numbers of bad rows', () => {
  test('count physical lines across quoted newlines and blank lines', async () => {
    const lines = [
      'cell_id,lac,ci,name,lat,lon,region,county,area_type',
      '9001-1,9001,1,"火车站,\n北广场",23.74,114.70,河源,源城,station',
      '',
      '9001-2,9001,2,大学城,23.70,114.68,河源,源城,campus',
      '9001-3,9001,3,X,95.0,114.68,河源,源城,campus',
    ];
    const { warehouse } = await load({ 'cells.csv': lines });
    assert.deepEqual(await warehouse.all("SELECT line, field, raw FROM quarantine WHERE file_name = 'cells.csv'"), [
      { line: 6, field: 'lat', raw: '9001-3,9001,3,X,95.0,114.68,河源,源城,campus' },
    ]);
    assert.equal(await warehouse.scalar(`SELECT count(*) FROM cells WHERE name = '火车站,\n北广场'`), 1);
  });
});
