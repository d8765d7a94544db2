// Every rule of the feed contract, with the exact message a person reads in the quarantine.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FeedName } from '../../src/feeds/contract.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';
import { csvLines, feedDir, referenceFeeds, validRows } from './feed-fixtures.ts';

interface Case {
  feed: FeedName;
  change: Record<string, string>;
  field: string;
  reason: string;
}

const cases: Case[] = [
  {
    feed: 'orders',
    change: { msisdn: '1380013800' },
    field: 'msisdn',
    reason: 'msisdn "1380013800" must have 11 digits',
  },
  {
    feed: 'orders',
    change: { msisdn: '1380013800a' },
    field: 'msisdn',
    reason: 'msisdn "1380013800a" must have 11 digits',
  },
  {
    feed: 'orders',
    change: { msisdn: '13900000000' },
    field: 'msisdn',
    reason: 'msisdn "13900000000" is not in the subscribers feed',
  },
  { feed: 'orders', change: { msisdn: '' }, field: 'msisdn', reason: 'msisdn is required' },
  {
    feed: 'orders',
    change: { ts: '2026-03-01' },
    field: 'ts',
    reason: 'ts "2026-03-01" must be a local time YYYY-MM-DD HH:MM:SS',
  },
  {
    feed: 'orders',
    change: { ts: '2026-02-30 10:00:00' },
    field: 'ts',
    reason: 'ts "2026-02-30 10:00:00" must be a local time YYYY-MM-DD HH:MM:SS',
  },
  {
    feed: 'orders',
    change: { ts: '2026-03-01T10:00:00' },
    field: 'ts',
    reason: 'ts "2026-03-01T10:00:00" must be a local time YYYY-MM-DD HH:MM:SS',
  },
  // DuckDB's cast takes slashes and fractions of a second; the contract takes neither (signalling
  // alone may add .mmm), so each must be refused by the compiled checks themselves.
  {
    feed: 'orders',
    change: { ts: '2026/03/01 10:00:00' },
    field: 'ts',
    reason: 'ts "2026/03/01 10:00:00" must be a local time YYYY-MM-DD HH:MM:SS',
  },
  {
    feed: 'orders',
    change: { ts: '2026-03-01 10:00:00.123' },
    field: 'ts',
    reason: 'ts "2026-03-01 10:00:00.123" must be a local time YYYY-MM-DD HH:MM:SS',
  },
  {
    feed: 'signalling',
    change: { ts: '2026/03/01 08:00:00.123' },
    field: 'ts',
    reason: 'ts "2026/03/01 08:00:00.123" must be a local time YYYY-MM-DD HH:MM:SS[.mmm]',
  },
  {
    feed: 'signalling',
    change: { ts: '2026-03-01 08:00:00.1234' },
    field: 'ts',
    reason: 'ts "2026-03-01 08:00:00.1234" must be a local time YYYY-MM-DD HH:MM:SS[.mmm]',
  },
  {
    feed: 'orders',
    change: { service_id: 'GOLD' },
    field: 'service_id',
    reason: 'service_id "GOLD" is not in the services feed',
  },
  {
    feed: 'orders',
    change: { action: 'renew' },
    field: 'action',
    reason: 'action "renew" must be one of subscribe, unsubscribe',
  },
  {
    feed: 'orders',
    change: { channel: 'fax' },
    field: 'channel',
    reason: 'channel "fax" must be one of sms, ivr, wap, web, counter, hotline, campaign, bundle, auto',
  },
  { feed: 'orders', change: { trial: 'yes' }, field: 'trial', reason: 'trial "yes" must be 0 or 1' },
  { feed: 'orders', change: { confirmed: '2' }, field: 'confirmed', reason: 'confirmed "2" must be 0 or 1' },
  { feed: 'billing', change: { month: '2026-3' }, field: 'month', reason: 'month "2026-3" must be a month YYYY-MM' },
  { feed: 'billing', change: { month: '2026/03' }, field: 'month', reason: 'month "2026/03" must be a month YYYY-MM' },
  {
    feed: 'billing',
    change: { total_fee: '98.505' },
    field: 'total_fee',
    reason: 'total_fee "98.505" must be an amount in yuan with at most two decimals, e.g. 18.00',
  },
  {
    feed: 'billing',
    change: { vas_fee: 'ten' },
    field: 'vas_fee',
    reason: 'vas_fee "ten" must be an amount in yuan with at most two decimals, e.g. 18.00',
  },
  {
    feed: 'sms',
    change: { kind: 'mms' },
    field: 'kind',
    reason: 'kind "mms" must be one of p2p_mo, p2p_mt, sp_mt, sp_mo',
  },
  {
    feed: 'sms',
    change: { peer: '+8613800000000' },
    field: 'peer',
    reason: 'peer "+8613800000000" must be digits only',
  },
  { feed: 'wap', change: { bytes: '-5' }, field: 'bytes', reason: 'bytes "-5" must be at least 0' },
  { feed: 'wap', change: { bytes: '1.5' }, field: 'bytes', reason: 'bytes "1.5" must be a whole number' },
  {
    feed: 'ivr',
    change: { duration_s: '90000' },
    field: 'duration_s',
    reason: 'duration_s "90000" must be between 0 and 86400',
  },
  { feed: 'ivr', change: { access_code: '' }, field: 'access_code', reason: 'access_code is required' },
  {
    feed: 'crbt',
    change: { action: 'delete' },
    field: 'action',
    reason: 'action "delete" must be one of set, change, download',
  },
  { feed: 'web', change: { path: '' }, field: 'path', reason: 'path is required' },
  {
    feed: 'signalling',
    change: { cell_id: '9999-9' },
    field: 'cell_id',
    reason: 'cell_id "9999-9" is not in the cells feed',
  },
  {
    feed: 'signalling',
    change: { event: 'handover' },
    field: 'event',
    reason: 'event "handover" must be one of call_out, call_in, sms_out, sms_in, location_update, attach, detach',
  },
  {
    feed: 'signalling',
    change: { ts: '2026-03-01 08:00:00.12' },
    field: 'ts',
    reason: 'ts "2026-03-01 08:00:00.12" must be a local time YYYY-MM-DD HH:MM:SS[.mmm]',
  },
];

describe('row validation against the feed contract', () => {
  const dbPath = join(tmpdir(), `telmark-rows-${process.pid}.duckdb`);
  let warehouse: Warehouse;
  const files: Record<string, string[]> = {};
  /** feed → line of each case in its file */
  const lines = new Map<Case, number>();

  before(async () => {
    const byFeed = new Map<FeedName, Record<string, string>[]>();
    for (const c of cases) {
      const rows = byFeed.get(c.feed) ?? [{ ...validRows[c.feed]! }];
      const row = { ...validRows[c.feed]!, ...c.change };
      if (c.feed === 'orders') row.order_id = `O${rows.length + 1}`;
      if (c.feed === 'billing') row.msisdn = c.change.msisdn ?? `1380000000${2 + ((rows.length - 1) % 3)}`;
      rows.push(row);
      lines.set(c, rows.length + 1);
      byFeed.set(c.feed, rows);
    }
    for (const [feed, rows] of byFeed) {
      const name = feed === 'billing' ? 'billing_202603.csv' : `${feed}_20260301.csv`;
      files[name] = csvLines(feed, rows);
    }
    warehouse = await Warehouse.open(dbPath);
    await loadDirectory(warehouse, feedDir(files), { clock: fixedClock('2026-03-02T00:00:00Z') });
  });

  after(() => {
    warehouse.close();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
  });

  for (const c of cases) {
    test(`${c.feed}: ${c.reason}`, async () => {
      const row = await warehouse.one<{ field: string; reason: string; line: number }>(
        `SELECT field, reason, line FROM quarantine WHERE file_name LIKE ? AND line = ?`,
        [`${c.feed}_%`, lines.get(c)!],
      );
      assert.deepEqual(row, { field: c.field, reason: c.reason, line: lines.get(c)! });
    });
  }

  test('each valid first row loads and nothing else does', async () => {
    for (const feed of ['orders', 'billing', 'sms', 'wap', 'ivr', 'crbt', 'web', 'signalling']) {
      assert.equal(await warehouse.scalar(`SELECT count(*) FROM ${feed}`), 1, feed);
    }
    assert.equal(await warehouse.scalar('SELECT count(*) FROM quarantine'), cases.length);
  });

  test('quarantine keeps the raw line as it stood in the file', async () => {
    const c = cases[0]!;
    const raw = await warehouse.scalar(`SELECT count(*) FROM quarantine WHERE raw = ?`, [
      files['orders_20260301.csv']![lines.get(c)! - 1]!,
    ]);
    assert.equal(raw, 1);
  });
});

describe('snapshot rows against the feed contract', () => {
  const dbPath = join(tmpdir(), `telmark-snapshot-rows-${process.pid}.duckdb`);
  let warehouse: Warehouse;
  const bad: Record<string, { row: string; field: string; reason: string }[]> = {
    'cells.csv': [
      {
        row: '9001-3,9001,3,X,91.5,114.7,河源,源城,station',
        field: 'lat',
        reason: 'lat "91.5" must be between -90 and 90',
      },
      { row: '9001-4,9001,4,X,23.7,east,河源,源城,station', field: 'lon', reason: 'lon "east" must be a number' },
      {
        row: '9001-5,9001,5,X,23.7,114.7,河源,源城,airport',
        field: 'area_type',
        reason:
          'area_type "airport" must be one of station, campus, office, commercial, residential, scenic, rural, other',
      },
      {
        row: '9001-6,70000,6,X,23.7,114.7,河源,源城,rural',
        field: 'lac',
        reason: 'lac "70000" must be between 0 and 65535',
      },
    ],
    'plans.csv': [
      {
        row: 'P9,套餐,gotone,88.5x,300,100,1024',
        field: 'monthly_fee',
        reason: 'monthly_fee "88.5x" must be an amount in yuan with at most two decimals, e.g. 18.00',
      },
    ],
    'services.csv': [
      {
        row: 'GAME,游戏,games,5.00,0',
        field: 'category',
        reason: 'category "games" must be one of crbt, news, directory, music, game, video, im, portal, other',
      },
    ],
    'subscribers.csv': [
      {
        row: '13800000011,gotone,河源,源城,P1,2020-13-05,1980,M,active,2020-01-05',
        field: 'activated_on',
        reason: 'activated_on "2020-13-05" must be a date YYYY-MM-DD',
      },
      {
        row: '13800000012,gotone,河源,源城,P1,2020-01-05,1980,X,active,2020-01-05',
        field: 'gender',
        reason: 'gender "X" must be one of M, F, U',
      },
      {
        row: '13800000013,gotone,河源,源城,P7,2020-01-05,1980,M,active,2020-01-05',
        field: 'plan_id',
        reason: 'plan_id "P7" is not in the plans feed',
      },
      {
        row: '13800000014,gotone,河源,源城,P1,2020-01-05,1850,M,active,2020-01-05',
        field: 'birth_year',
        reason: 'birth_year "1850" must be between 1900 and 2100',
      },
      {
        row: '13800000015,vip,河源,源城,P1,2020-01-05,1980,M,active,2020-01-05',
        field: 'brand',
        reason: 'brand "vip" must be one of gotone, easyown, mzone, other',
      },
    ],
    'subscriptions.csv': [
      {
        row: '13800000002,NEWS,2026/01/01,sms,0',
        field: 'subscribed_on',
        reason: 'subscribed_on "2026/01/01" must be a date YYYY-MM-DD',
      },
    ],
  };

  before(async () => {
    const files: Record<string, string[]> = {};
    for (const [name, rows] of Object.entries(bad)) files[name] = [...referenceFeeds[name]!, ...rows.map((r) => r.row)];
    warehouse = await Warehouse.open(dbPath);
    await loadDirectory(warehouse, feedDir(files), { clock: fixedClock('2026-03-02T00:00:00Z') });
  });

  after(() => {
    warehouse.close();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
  });

  for (const [name, rows] of Object.entries(bad)) {
    rows.forEach((r, i) => {
      test(`${name}: ${r.reason}`, async () => {
        const line = referenceFeeds[name]!.length + 1 + i;
        const row = await warehouse.one('SELECT field, reason, raw FROM quarantine WHERE file_name = ? AND line = ?', [
          name,
          line,
        ]);
        assert.deepEqual(row, { field: r.field, reason: r.reason, raw: r.row });
      });
    });
  }

  test('the valid snapshot rows all load', async () => {
    for (const [name, table] of [
      ['cells.csv', 'cells'],
      ['plans.csv', 'plans'],
      ['services.csv', 'services'],
      ['subscribers.csv', 'subscribers'],
    ]) {
      assert.equal(await warehouse.scalar(`SELECT count(*) FROM ${table}`), referenceFeeds[name!]!.length - 1, name);
    }
  });
});
