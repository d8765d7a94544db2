// The seed analyses of issue 17 (P2P SMS forward rate, 12580 menus by area, the offline area view,
// marketing volume and success rate, service bundles) checked against recounts made straight from the
// detail tables (sms, ivr, signalling, cells, channel_outbox, orders, subscriptions_opening), never
// from the aggregates the analyses read.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AnalysisResult, runAnalysis } from '../../src/analysis/index.ts';
import { RESPONSE_WINDOW_DAYS } from '../../src/analysis/marketing-volume-analysis.ts';
import { CellDirectory } from '../../src/stream/geofences/cell-directory.ts';
import { Geofences } from '../../src/stream/geofences/geofences.ts';
import { isAppError } from '../../src/shared/errors.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from './demo-warehouse.ts';

function section(result: AnalysisResult, id: string) {
  const found = result.sections.find((s) => s.id === id);
  assert.ok(found, `section ${id}`);
  return found;
}

const close = (actual: unknown, expected: number, what: string) =>
  assert.ok(
    Math.abs(Number(actual) - expected) < 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );

describe('seed analyses against recounts from the detail feeds', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });

  test('P2P SMS forward rate by county, brand and day, apart from the news forward rate', async () => {
    const result = await runAnalysis(warehouse, 'sms-forward', { grain: 'day' });
    const recount = await warehouse.all<{ county: string; sent: number; forwards: number }>(
      `SELECT u.county, count(*) FILTER (WHERE s.kind = 'p2p_mo') AS sent,
              count(*) FILTER (WHERE s.kind = 'p2p_mo' AND s.forwarded) AS forwards
       FROM sms s JOIN subscribers u ON u.msisdn = s.msisdn GROUP BY 1`,
    );
    const byCounty = new Map(section(result, 'county').rows.map((r) => [String(r.county), r]));
    assert.equal(byCounty.size, recount.length);
    for (const r of recount) {
      const row = byCounty.get(r.county)!;
      assert.equal(Number(row.p2p_sent), Number(r.sent), `${r.county} sent`);
      assert.equal(Number(row.p2p_forwards), Number(r.forwards), `${r.county} forwards`);
      close(row.forward_rate, Number(r.forwards) / Number(r.sent), `${r.county} rate`);
    }
    const mzone = await warehouse.one<{ sent: number; forwards: number; received: number }>(
      `SELECT count(*) FILTER (WHERE s.kind = 'p2p_mo') AS sent, count(*) FILTER (WHERE s.kind = 'p2p_mo' AND s.forwarded) AS forwards,
              count(*) FILTER (WHERE s.kind = 'p2p_mt') AS received
       FROM sms s JOIN subscribers u ON u.msisdn = s.msisdn WHERE u.brand = 'mzone'`,
    );
    const brandRow = section(result, 'brand').rows.find((r) => r.brand === 'mzone')!;
    assert.equal(Number(brandRow.p2p_received), Number(mzone!.received));
    close(brandRow.forward_rate, Number(mzone!.forwards) / Number(mzone!.sent), 'mzone rate');
    const day = section(result, 'trend').rows[3]!;
    const dayRecount = await warehouse.one<{ sent: number; forwards: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'p2p_mo') AS sent, count(*) FILTER (WHERE kind = 'p2p_mo' AND forwarded) AS forwards
       FROM sms WHERE CAST(ts AS DATE) = CAST(? AS DATE)`,
      [String(day.period)],
    );
    assert.equal(Number(day.p2p_sent), Number(dayRecount!.sent), `sent on ${day.period}`);
    assert.equal(Number(day.p2p_forwards), Number(dayRecount!.forwards), `forwards on ${day.period}`);
    // The news forward rate (forwards of the news ÷ news pushed) is another figure.
    const news = await warehouse.one<{ rate: number }>(
      `SELECT count(*) FILTER (WHERE forwarded) / count(*) FILTER (WHERE kind = 'sp_mt') AS rate
       FROM sms s JOIN services v ON v.service_id = s.service_id WHERE v.category = 'news'`,
    );
    const headline = result.headlines!.find((h) => h.key === 'forward_rate')!.value!;
    assert.ok(Math.abs(headline - Number(news!.rate)) > 1e-3, `p2p ${headline} vs news ${news!.rate}`);
  });

  test('12580 menu choices by area type (located through the signalling), county and hour', async () => {
    const result = await runAnalysis(warehouse, 'ivr-menus', {});
    // Area type: the cell of the call_out to 12580 in the same second as the IVR record.
    const located = await warehouse.all<{ area_type: string; menu: string; calls: number }>(
      `SELECT c.area_type, i.menu, count(*) AS calls
       FROM ivr i JOIN signalling g ON g.msisdn = i.msisdn AND g.event = 'call_out' AND g.peer = i.access_code
        AND date_trunc('second', g.ts) = i.ts
       JOIN cells c ON c.cell_id = g.cell_id
       WHERE i.access_code = '12580' GROUP BY 1, 2`,
    );
    assert.ok(located.length > 0, 'some 12580 calls are located');
    const byArea = new Map(section(result, 'area-type').rows.map((r) => [`${r.area_type}|${r.menu}`, Number(r.calls)]));
    assert.equal(byArea.size, located.length);
    for (const r of located)
      assert.equal(byArea.get(`${r.area_type}|${r.menu}`), Number(r.calls), `${r.area_type} ${r.menu}`);
    const county = await warehouse.all<{ county: string; menu: string; calls: number }>(
      `SELECT u.county, i.menu, count(*) AS calls FROM ivr i JOIN subscribers u ON u.msisdn = i.msisdn
       WHERE i.access_code = '12580' GROUP BY 1, 2`,
    );
    const byCounty = new Map(section(result, 'county').rows.map((r) => [`${r.county}|${r.menu}`, Number(r.calls)]));
    for (const r of county)
      assert.equal(byCounty.get(`${r.county}|${r.menu}`), Number(r.calls), `${r.county} ${r.menu}`);
    const hour = await warehouse.all<{ hour: number; calls: number }>(
      `SELECT hour(ts) AS hour, count(*) AS calls FROM ivr WHERE access_code = '12580' GROUP BY 1`,
    );
    const byHour = new Map<number, number>();
    for (const r of section(result, 'hour').rows)
      byHour.set(Number(r.hour), (byHour.get(Number(r.hour)) ?? 0) + Number(r.calls));
    for (const r of hour) assert.equal(byHour.get(Number(r.hour)), Number(r.calls), `hour ${r.hour}`);
    // Before and after a given date: calls per day on each side.
    const cut = await runAnalysis(warehouse, 'ivr-menus', { cutover: '2026-03-16' });
    const weather = section(cut, 'before-after').rows.find((r) => r.menu === 'life/weather')!;
    const sides = await warehouse.one<{ before: number; after: number; first: string; last: string }>(
      `SELECT count(*) FILTER (WHERE ts < TIMESTAMP '2026-03-16') AS before, count(*) FILTER (WHERE ts >= TIMESTAMP '2026-03-16') AS after
       FROM ivr WHERE access_code = '12580' AND menu = 'life/weather'`,
    );
    const daysBefore = (Date.parse('2026-03-16') - Date.parse(cut.from)) / 86_400_000;
    const daysAfter = (Date.parse(cut.to) - Date.parse('2026-03-16')) / 86_400_000 + 1;
    close(weather.before_per_day, Number(sides!.before) / daysBefore, 'weather before');
    close(weather.after_per_day, Number(sides!.after) / daysAfter, 'weather after');
  });

  test('the area view of the stations: present by hour, brand mix, callers of 114 and 12580 per cell', async () => {
    const result = await runAnalysis(warehouse, 'area-view', { filters: { area_type: ['station'] } });
    const present = await warehouse.all<{ hour: string; present: number }>(
      `SELECT strftime(date_trunc('hour', s.ts), '%Y-%m-%d %H:%M') AS hour, sum(n) AS present FROM (
         SELECT date_trunc('hour', s.ts) AS ts, s.cell_id, count(DISTINCT s.msisdn) AS n
         FROM signalling s JOIN cells c ON c.cell_id = s.cell_id WHERE c.area_type = 'station' GROUP BY 1, 2) s
       GROUP BY 1`,
    );
    const shown = new Map(section(result, 'present').rows.map((r) => [String(r.hour), Number(r.present)]));
    assert.equal(shown.size, present.length);
    for (const r of present) assert.equal(shown.get(r.hour), Number(r.present), `present at ${r.hour}`);
    const brands = await warehouse.all<{ brand: string; n: number }>(
      `SELECT u.brand, count(*) AS n FROM (
         SELECT DISTINCT CAST(s.ts AS DATE), s.cell_id, s.msisdn FROM signalling s JOIN cells c ON c.cell_id = s.cell_id
         WHERE c.area_type = 'station') x JOIN subscribers u ON u.msisdn = x.msisdn GROUP BY 1`,
    );
    const mix = new Map(section(result, 'brands').rows.map((r) => [String(r.brand), Number(r.subscribers)]));
    for (const r of brands) assert.equal(mix.get(r.brand), Number(r.n), `brand ${r.brand}`);
    const callers = await warehouse.all<{ cell_id: string; c114: number; c12580: number }>(
      `SELECT s.cell_id, count(DISTINCT s.msisdn) FILTER (WHERE s.peer = '114') AS c114,
              count(DISTINCT s.msisdn) FILTER (WHERE s.peer = '12580') AS c12580
       FROM signalling s JOIN cells c ON c.cell_id = s.cell_id
       WHERE c.area_type = 'station' AND s.event = 'call_out' GROUP BY 1`,
    );
    const perCell = section(result, 'callers').rows;
    assert.ok(perCell.length > 0);
    for (const row of perCell) {
      const r = callers.find((c) => c.cell_id === row.cell_id);
      assert.equal(Number(row.callers_114), Number(r?.c114 ?? 0), `114 callers in ${row.place}`);
      assert.equal(Number(row.callers_12580), Number(r?.c12580 ?? 0), `12580 callers in ${row.place}`);
    }
    // Stations ask 114 more than 12580, as in the case study's table.
    const total = (key: string) => result.headlines!.find((h) => h.key === key)!.value!;
    assert.ok(total('callers_114') > 0 && total('callers_12580') >= 0);
    // Only the fields asked for.
    const onlyBrands = await runAnalysis(warehouse, 'area-view', { fields: ['brands'] });
    assert.deepEqual(
      onlyBrands.sections.map((s) => s.id),
      ['brands'],
    );
    await assert.rejects(
      runAnalysis(warehouse, 'area-view', { fields: ['weather'] }),
      (e) => isAppError(e) && e.code === 'INPUT_INVALID',
    );
  });

  test('the area view of a stored geofence covers the cells the stream would watch', async () => {
    const definition = { id: 'station-1km', name: '火车站周边', centre: { cell: '' }, radius_m: 1500 };
    const station = await warehouse.one<{ cell_id: string }>(
      `SELECT cell_id FROM cells WHERE area_type = 'station' ORDER BY cell_id LIMIT 1`,
    );
    definition.centre.cell = station!.cell_id;
    await warehouse.run(
      `INSERT INTO stream_geofences (geofence_id, definition, updated_at) VALUES (?, ?, TIMESTAMP '2026-04-01 00:00:00')`,
      [definition.id, JSON.stringify(definition)],
    );
    const rows = await warehouse.all<{
      cell_id: string;
      name: string;
      lat: number;
      lon: number;
      region: string;
      county: string;
      area_type: string;
    }>('SELECT cell_id, name, lat, lon, region, county, area_type FROM cells ORDER BY cell_id');
    const directory = new CellDirectory(
      rows.map((r) => ({
        cellId: r.cell_id,
        name: r.name,
        lat: r.lat,
        lon: r.lon,
        region: r.region,
        county: r.county,
        areaType: r.area_type,
      })),
    );
    const fences = new Geofences(directory);
    fences.define(definition);
    const expected = fences.cellsIn(fences.idOf(definition.id)!).map((i) => directory.cells[i]!.cellId);
    const result = await runAnalysis(warehouse, 'area-view', {
      geofence: definition.id,
      fields: ['callers', 'brands'],
    });
    assert.equal(result.headlines!.find((h) => h.key === 'cells')!.value, expected.length);
    assert.ok(expected.length > 1, 'the radius takes in more than the centre');
    const visitors = await warehouse.one<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT DISTINCT CAST(ts AS DATE), cell_id, msisdn FROM signalling
       WHERE list_contains(string_split(?, ','), cell_id))`,
      [expected.join(',')],
    );
    assert.equal(result.headlines!.find((h) => h.key === 'visitors')!.value, Number(visitors!.n));
    assert.match(result.title.zh, /火车站周边/);
    await assert.rejects(
      runAnalysis(warehouse, 'area-view', { geofence: 'nowhere' }),
      (e) => isAppError(e) && e.code === 'NOT_FOUND',
    );
    await assert.rejects(
      runAnalysis(warehouse, 'effect', { geofence: definition.id }),
      (e) => isAppError(e) && e.code === 'INPUT_INVALID',
    );
  });

  test('marketing volume per month and source, delivered, and success within the response window', async () => {
    // Messages of two sources over two months; some delivered, some answered by an order of the
    // promoted service (inside the window, too late, or of another service).
    const subscribers = await warehouse.all<{ msisdn: string; county: string; brand: string }>(
      'SELECT msisdn, county, brand FROM subscribers ORDER BY msisdn LIMIT 40',
    );
    const messages: { id: string; source: string; msisdn: string; status: string; queued: string; service: string }[] =
      [];
    subscribers.forEach((s, i) => {
      messages.push({
        id: `m${i}`,
        source: i % 3 === 0 ? 'campaign' : 'trigger',
        msisdn: s.msisdn,
        status: i % 4 === 0 ? 'failed' : 'delivered',
        queued: i % 2 === 0 ? '2026-03-10 10:00:00' : '2026-04-02 09:00:00',
        service: 'S12580',
      });
    });
    const service = (await warehouse.one<{ id: string }>(`SELECT service_id AS id FROM services ORDER BY 1 LIMIT 1`))!
      .id;
    for (const m of messages) m.service = service;
    await warehouse.transaction(async (tx) => {
      for (const m of messages) {
        await tx.run(
          `INSERT INTO channel_outbox (message_id, source, source_ref, kind, channel, recipient, subscriber, service_id, text,
             text_hash, status, queued_at, not_before, attempts, final_at, updated_at)
           VALUES (?, ?, 'r1', 'marketing', 'sms', ?, ?, ?, 'offer', 'h', ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), 1,
             CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP))`,
          [m.id, m.source, m.msisdn, m.msisdn, m.service, m.status, m.queued, m.queued, m.queued, m.queued],
        );
      }
      // An alert is not marketing.
      await tx.run(
        `INSERT INTO channel_outbox (message_id, source, kind, channel, recipient, subscriber, text, text_hash, status,
           queued_at, not_before, attempts, updated_at)
         VALUES ('a1', 'alert', 'alert', 'email', 'ops@example.com', 'ops', 'alert', 'h', 'delivered',
           TIMESTAMP '2026-03-10 10:00:00', TIMESTAMP '2026-03-10 10:00:00', 1, TIMESTAMP '2026-03-10 10:00:00')`,
      );
      // Orders: i % 5 == 1 within the window; i % 5 == 2 too late; i % 5 == 3 another service.
      for (const [i, m] of messages.entries()) {
        const hours = i % 5 === 1 ? 30 : i % 5 === 2 ? RESPONSE_WINDOW_DAYS * 24 + 5 : i % 5 === 3 ? 2 : -1;
        if (hours < 0) continue;
        await tx.run(
          `INSERT INTO orders (order_id, ts, msisdn, service_id, action, channel, trial, confirmed, campaign_id, file_id)
           VALUES (?, CAST(? AS TIMESTAMP) + to_hours(CAST(? AS BIGINT)), ?, ?, 'subscribe', 'sms', false, true, NULL, 0)`,
          [`T${i}`, m.queued, hours, m.msisdn, i % 5 === 3 ? 'no-such-service' : m.service],
        );
      }
    });
    // Independent count: the orders in the detail table that answer each delivered message.
    const answered = await warehouse.all<{ message_id: string }>(
      `SELECT DISTINCT m.message_id FROM channel_outbox m JOIN orders o ON o.msisdn = m.subscriber
        AND o.service_id = m.service_id AND o.action = 'subscribe'
        AND o.ts >= m.final_at AND o.ts < m.final_at + to_days(${RESPONSE_WINDOW_DAYS})
       WHERE m.kind = 'marketing' AND m.status = 'delivered'`,
    );
    const answeredIds = new Set(answered.map((a) => a.message_id));
    const result = await runAnalysis(warehouse, 'marketing', {});
    const rows = section(result, 'month').rows;
    for (const month of ['2026-03', '2026-04']) {
      for (const source of ['trigger', 'campaign']) {
        const mine = messages.filter((m) => m.queued.startsWith(month) && m.source === source);
        const row = rows.find((r) => r.month === month && r.source === source)!;
        assert.ok(row, `${month} ${source}`);
        const delivered = mine.filter((m) => m.status === 'delivered');
        const responded = delivered.filter((m) => answeredIds.has(m.id));
        assert.equal(Number(row.messages), mine.length, `${month} ${source} messages`);
        assert.equal(Number(row.delivered), delivered.length, `${month} ${source} delivered`);
        assert.equal(Number(row.responded), responded.length, `${month} ${source} responded`);
        close(row.success_rate, responded.length / delivered.length, `${month} ${source} success rate`);
      }
    }
    assert.ok(!rows.some((r) => r.source === 'alert'), 'alerts are not marketing');
    const brand = subscribers[0]!.brand;
    const byBrand = section(result, 'brand').rows.filter((r) => r.brand === brand);
    const brandMessages = messages.filter((m) => subscribers.find((s) => s.msisdn === m.msisdn)!.brand === brand);
    assert.equal(
      byBrand.reduce((t, r) => t + Number(r.messages), 0),
      brandMessages.length,
      `messages to ${brand}`,
    );
    const county = subscribers[0]!.county;
    const filtered = await runAnalysis(warehouse, 'marketing', { filters: { county: [county] } });
    assert.equal(
      filtered.headlines!.find((h) => h.key === 'messages')!.value,
      messages.filter((m) => subscribers.find((s) => s.msisdn === m.msisdn)!.county === county).length,
    );
    // The later tests recount holdings from the orders: take the made-up ones out again.
    await warehouse.run(`DELETE FROM orders WHERE order_id LIKE 'T%' AND file_id = 0`);
    await warehouse.run('DELETE FROM channel_outbox');
  });

  test('service pairs held together: support, confidence and lift from the opening balance and the orders', async () => {
    const result = await runAnalysis(warehouse, 'bundles', {});
    const pairs = section(result, 'pairs').rows;
    assert.ok(pairs.length > 0);
    const opening = await warehouse.all<{ msisdn: string; service_id: string }>(
      'SELECT msisdn, service_id FROM subscriptions_opening',
    );
    const orders = await warehouse.all<{ msisdn: string; service_id: string; action: string }>(
      `SELECT msisdn, service_id, action FROM orders WHERE CAST(ts AS DATE) <= CAST(? AS DATE) ORDER BY ts, action DESC`,
      [result.to],
    );
    const held = new Set(opening.map((o) => `${o.msisdn}|${o.service_id}`));
    for (const o of orders) {
      if (o.action === 'subscribe') held.add(`${o.msisdn}|${o.service_id}`);
      else held.delete(`${o.msisdn}|${o.service_id}`);
    }
    const basket = new Map<string, Set<string>>();
    for (const key of held) {
      const [msisdn, service] = key.split('|') as [string, string];
      basket.set(msisdn, (basket.get(msisdn) ?? new Set()).add(service));
    }
    const n = basket.size;
    const holders = (s: string) => [...basket.values()].filter((b) => b.has(s)).length;
    const both = (a: string, b: string) => [...basket.values()].filter((x) => x.has(a) && x.has(b)).length;
    for (const row of pairs.slice(0, 3)) {
      const a = String(row.lhs);
      const b = String(row.rhs);
      close(row.support, both(a, b) / n, `support ${a}+${b}`);
      close(row.confidence, both(a, b) / holders(a), `confidence ${a}→${b}`);
      close(row.lift, (both(a, b) * n) / (holders(a) * holders(b)), `lift ${a}+${b}`);
    }
  });
});
