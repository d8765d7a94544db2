// The per-month day bitmasks and the schema migration, on a warehouse of a few hand-written rows that
// span two months: holding and use are checked day by day against the spells and records written here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAnalysis } from '../../src/analysis/index.ts';
import { SCHEMA_VERSION, Warehouse } from '../../src/warehouse/index.ts';
import { rebuildDerived } from '../../src/warehouse/load/index.ts';

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
};

describe('month bitmasks over two months', () => {
  let warehouse: Warehouse;
  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    await warehouse.run(`INSERT INTO services VALUES ('news','手机报','news',3,0,1), ('crbt','彩铃','crbt',5,0,1)`);
    await warehouse.run(`INSERT INTO plans VALUES ('P1','畅听','gotone',58,300,100,500,1)`);
    await warehouse.run(`INSERT INTO subscribers VALUES
      ('13800000001','gotone','河源','源城','P1','2020-01-01',1980,'M','active','2020-01-01',1),
      ('13800000002','gotone','河源','源城','P1','2020-01-01',1990,'F','active','2020-01-01',1),
      ('13800000003','gotone','河源','东源','P1','2020-01-01',1995,'F','active','2020-01-01',1)`);
    // 1 holds news from before the window to 03-05 and uses it on 02-25 only; 2 takes news on 02-27 and
    // keeps it, using it on 03-03; 3 holds crbt throughout and never uses it.
    await warehouse.run(`INSERT INTO subscriptions_opening VALUES
      ('13800000001','news','2026-01-10','sms',false,1), ('13800000003','crbt','2025-06-01','web',false,1)`);
    await warehouse.run(`INSERT INTO orders VALUES
      ('a','2026-02-27 10:00:00','13800000002','news','subscribe','sms',false,true,NULL,2),
      ('b','2026-03-05 09:00:00','13800000001','news','unsubscribe','sms',false,true,NULL,2)`);
    await warehouse.run(`INSERT INTO sms VALUES
      ('2026-02-25 08:00:00','13800000001','10658000','sp_mo','news',false,3),
      ('2026-03-03 08:00:00','13800000002','10658000','sp_mo','news',false,3)`);
    // Days of both months loaded (the aggregates exist for these days only).
    for (const day of days('2026-02-20', '2026-03-10')) {
      await warehouse.run(
        `INSERT INTO sms VALUES (CAST(? AS TIMESTAMP) + INTERVAL 12 HOUR, '13800000003', '13900000000', 'p2p_mo', NULL, false, 3)`,
        [day],
      );
    }
    await warehouse.run(`INSERT INTO meta VALUES ('rebuild_all', '1')`);
    await rebuildDerived(warehouse);
  });
  after(() => warehouse.close());

  test('held_days and used_days carry each spell and each use on its own day', async () => {
    const rows = await warehouse.all<{ month: string; msisdn: string; service_id: string; held: number; used: number }>(
      `SELECT CAST(month AS VARCHAR) AS month, msisdn, service_id, held_days AS held, used_days AS used
       FROM agg_subscriber_service_month ORDER BY ALL`,
    );
    const bitsOf = (mask: number) => [...Array(31).keys()].filter((d) => (mask >>> d) & 1).map((d) => d + 1);
    const get = (month: string, msisdn: string, service: string) =>
      rows.find((r) => r.month === month && r.msisdn === `1380000000${msisdn}` && r.service_id === service)!;
    assert.deepEqual(
      bitsOf(get('2026-02-01', '1', 'news').held),
      days('2026-02-01', '2026-02-28').map((_, i) => i + 1),
    );
    assert.deepEqual(bitsOf(get('2026-02-01', '1', 'news').used), [25]);
    // Cancelled on 03-05: held at the end of 03-01 .. 03-04 only.
    assert.deepEqual(bitsOf(get('2026-03-01', '1', 'news').held), [1, 2, 3, 4]);
    assert.deepEqual(bitsOf(get('2026-02-01', '2', 'news').held), [27, 28]);
    assert.deepEqual(bitsOf(get('2026-03-01', '2', 'news').held).length, 31);
    assert.deepEqual(bitsOf(get('2026-03-01', '2', 'news').used), [3]);
    assert.equal(get('2026-03-01', '3', 'crbt').used, 0);
  });

  test('a late order for an old day is carried into the holding of every later day', async () => {
    const holders = () =>
      warehouse.scalar(
        `SELECT sum(holders) FROM agg_area_service_day WHERE service_id = 'crbt' AND day = '2026-03-10'`,
      );
    assert.equal(await holders(), 1);
    await warehouse.run(
      `INSERT INTO orders VALUES ('c','2026-02-22 10:00:00','13800000003','crbt','unsubscribe','hotline',false,true,NULL,4)`,
    );
    await warehouse.run(`INSERT INTO dirty_days VALUES ('2026-02-22')`);
    await rebuildDerived(warehouse);
    assert.equal(await holders(), 0);
    const march = await warehouse.scalar(
      `SELECT held_days FROM agg_subscriber_service_month WHERE month = '2026-03-01' AND msisdn = '13800000003'`,
    );
    assert.equal(march, 0);
    await warehouse.run(`DELETE FROM orders WHERE order_id = 'c'`);
    await warehouse.run(`INSERT INTO dirty_days VALUES ('2026-02-22')`);
    await rebuildDerived(warehouse);
    assert.equal(await holders(), 1);
  });

  test('active and dormant holders over a range that crosses the month end', async () => {
    const rowsOf = async (from: string, to: string) => {
      const result = await runAnalysis(warehouse, 'activity', { from, to });
      const services = result.sections.find((s) => s.id === 'services')!.rows;
      return Object.fromEntries(services.map((r) => [String(r.service), [r.active_holders, r.dormant_holders]]));
    };
    // Held at the end of 03-04: 1 and 2 (news), 3 (crbt). Used 02-24..03-04: 1 on 02-25, 2 on 03-03.
    assert.deepEqual(await rowsOf('2026-02-24', '2026-03-04'), { crbt: [0, 1], news: [2, 0] });
    // Held at the end of 03-05: 2 only; from 02-26 it used news on 03-03.
    assert.deepEqual(await rowsOf('2026-02-26', '2026-03-05'), { crbt: [0, 1], news: [1, 0] });
    // Inside one month, 03-04..03-10: 2 holds it and used it on 03-03, before the range.
    assert.deepEqual(await rowsOf('2026-03-04', '2026-03-10'), { crbt: [0, 1], news: [0, 1] });
  });
});

describe('migrating a version 1 warehouse', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-migrate-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('reshaped derived tables are recreated and the next load rebuilds every day', async () => {
    const path = join(folder, 'w.duckdb');
    const old = await Warehouse.open(path);
    await old.run(`UPDATE meta SET value = '1' WHERE key = 'schema_version'`);
    await old.run('DROP TABLE agg_area_service_day');
    await old.run('CREATE TABLE agg_area_service_day (day DATE NOT NULL, region VARCHAR NOT NULL)');
    await old.run('DROP TABLE agg_segment_day');
    old.close();
    const reopened = await Warehouse.open(path);
    try {
      const columns = await reopened.all<{ column_name: string }>(
        `SELECT column_name FROM duckdb_columns() WHERE table_name = 'agg_area_service_day'`,
      );
      assert.ok(columns.some((c) => c.column_name === 'plan_id'));
      assert.equal(
        await reopened.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'agg_segment_day'`),
        1,
      );
      assert.equal(await reopened.scalar(`SELECT count(*) FROM meta WHERE key = 'rebuild_all' AND value = '1'`), 1);
      assert.equal(
        await reopened.scalar(`SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'`),
        SCHEMA_VERSION,
      );
    } finally {
      reopened.close();
    }
  });
});
