// Generate a small demo operator, load it, and check the warehouse against a recount made straight
// from the CSV files in plain JavaScript.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultGenerateOptions, generateDemoOperator } from '../../src/demo/index.ts';
import { feedNames } from '../../src/feeds/contract.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { type LoadSummary, loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

const dir = join(tmpdir(), `telmark-e2e-${process.pid}`);
const dbPath = join(tmpdir(), `telmark-e2e-${process.pid}.duckdb`);
const days = 10;

/** Every data row of every file of a feed, as objects keyed by the header. */
function rowsOf(feed: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith(`${feed}.`) && !name.startsWith(`${feed}_`)) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    assert.ok(!text.includes('"'), `${name}: the recount expects no quoted fields`);
    const [header, ...lines] = text.split('\n').filter((l) => l !== '');
    const columns = header!.split(',');
    for (const line of lines) {
      const values = line.split(',');
      rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])));
    }
  }
  return rows;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

describe('generate, load, recount', () => {
  let warehouse: Warehouse;
  let summary: LoadSummary;

  before(async () => {
    await generateDemoOperator({
      ...defaultGenerateOptions,
      subscribers: 2000,
      days,
      outDir: dir,
      signallingDays: [days - 1],
    });
    warehouse = await Warehouse.open(dbPath);
    summary = await loadDirectory(warehouse, dir, { clock: fixedClock('2026-04-01T00:00:00Z') });
  });

  after(() => {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}.wal`, { force: true });
  });

  test('every generated row loads and none is quarantined', () => {
    assert.equal(summary.rejected.length, 0);
    assert.equal(summary.rowsQuarantined, 0);
    assert.equal(summary.rowsLoaded, summary.rowsRead);
    assert.ok(summary.rowsRead > 10_000, `only ${summary.rowsRead} rows`);
  });

  test('each detail table holds exactly the rows of its files', async () => {
    const tables: Record<string, string> = { subscriptions: 'subscriptions_opening' };
    for (const feed of feedNames) {
      assert.equal(await warehouse.scalar(`SELECT count(*) FROM ${tables[feed] ?? feed}`), rowsOf(feed).length, feed);
    }
  });

  test('orders and cancellations per day and service match the order files', async () => {
    const orders = rowsOf('orders');
    const expected = countBy(orders, (o) => `${o.ts!.slice(0, 10)}|${o.service_id}|${o.action}`);
    const rows = await warehouse.all<{ day: string; service_id: string; orders: number; cancels: number }>(
      'SELECT day, service_id, sum(orders)::INTEGER AS orders, sum(cancels)::INTEGER AS cancels FROM agg_area_service_day GROUP BY ALL',
    );
    let compared = 0;
    for (const r of rows) {
      assert.equal(
        r.orders,
        expected.get(`${r.day}|${r.service_id}|subscribe`) ?? 0,
        `${r.day} ${r.service_id} orders`,
      );
      assert.equal(
        r.cancels,
        expected.get(`${r.day}|${r.service_id}|unsubscribe`) ?? 0,
        `${r.day} ${r.service_id} cancels`,
      );
      compared += r.orders + r.cancels;
    }
    assert.equal(compared, orders.length);
  });

  test('holders of each service at the end of the last day match a replay of opening balance and orders', async () => {
    const held = new Set(rowsOf('subscriptions').map((s) => `${s.msisdn}|${s.service_id}`));
    const events = rowsOf('orders').sort((a, b) => a.ts!.localeCompare(b.ts!) || b.action!.localeCompare(a.action!));
    for (const e of events) {
      const key = `${e.msisdn}|${e.service_id}`;
      if (e.action === 'subscribe') held.add(key);
      else held.delete(key);
    }
    const expected = countBy([...held], (k) => k.split('|')[1]!);
    const lastDay = (await warehouse.one<{ d: string }>('SELECT max(day)::VARCHAR AS d FROM agg_area_service_day'))!.d;
    const rows = await warehouse.all<{ service_id: string; holders: number }>(
      'SELECT service_id, sum(holders)::INTEGER AS holders FROM agg_area_service_day WHERE day = ? GROUP BY ALL',
      [lastDay],
    );
    assert.equal(rows.length, expected.size);
    for (const r of rows) assert.equal(r.holders, expected.get(r.service_id), r.service_id);
  });

  test('114 and 12580 calls per cell and hour match the signalling file', async () => {
    const calls = rowsOf('signalling').filter(
      (s) => s.event === 'call_out' && (s.peer === '114' || s.peer === '12580'),
    );
    assert.ok(calls.length > 0);
    const expected = countBy(calls, (s) => `${s.cell_id}|${Number(s.ts!.slice(11, 13))}|${s.peer}`);
    const rows = await warehouse.all<{ cell_id: string; hour: number; c114: number; c12580: number }>(
      'SELECT cell_id, hour, calls_114::INTEGER AS c114, calls_12580::INTEGER AS c12580 FROM agg_cell_hour WHERE calls_114 + calls_12580 > 0',
    );
    let total = 0;
    for (const r of rows) {
      assert.equal(r.c114, expected.get(`${r.cell_id}|${r.hour}|114`) ?? 0);
      assert.equal(r.c12580, expected.get(`${r.cell_id}|${r.hour}|12580`) ?? 0);
      total += r.c114 + r.c12580;
    }
    assert.equal(total, calls.length);
  });

  test('IVR calls per county and access code match the IVR files', async () => {
    const county = new Map(rowsOf('subscribers').map((s) => [s.msisdn!, s.county!]));
    const expected = countBy(rowsOf('ivr'), (c) => `${county.get(c.msisdn!)}|${c.access_code}`);
    const rows = await warehouse.all<{ county: string; access_code: string; calls: number }>(
      'SELECT county, access_code, sum(calls)::INTEGER AS calls FROM agg_ivr_area_day GROUP BY ALL',
    );
    assert.equal(rows.length, expected.size);
    for (const r of rows)
      assert.equal(r.calls, expected.get(`${r.county}|${r.access_code}`), `${r.county} ${r.access_code}`);
  });

  test('the active subscriber base on the first day matches the subscriber snapshot', async () => {
    const first = (await warehouse.one<{ d: string }>('SELECT min(day)::VARCHAR AS d FROM agg_area_day'))!.d;
    const expected = rowsOf('subscribers').filter(
      (s) =>
        s.activated_on! <= first &&
        !((s.status === 'closed' || s.status === 'suspended') && s.status_changed_on! <= first),
    ).length;
    assert.equal(
      await warehouse.scalar('SELECT sum(subscribers_active) FROM agg_area_day WHERE day = ?', [first]),
      expected,
    );
  });

  test('loading the same folder again is a no-op', async () => {
    const again = await loadDirectory(warehouse, dir, { clock: fixedClock('2026-04-01T00:00:00Z') });
    assert.equal(again.rowsLoaded, 0);
    assert.equal(again.files.filter((f) => f.outcome !== 'skipped').length, 0);
    assert.equal(await warehouse.scalar('SELECT count(*) FROM orders'), rowsOf('orders').length);
  });
});
