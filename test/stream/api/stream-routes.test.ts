import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildServer } from '../../../src/api/server.ts';
import { LocalSmsc, runSender } from '../../../src/channels/index.ts';
import { defaultConfig } from '../../../src/config/config.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { openStreamSession, setLiveStream } from '../../../src/stream/index.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';
import { testAccess } from '../../access/test-access.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-stream-api-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function event(ts: string, msisdn: string, cell: string, peer: string): string {
  return JSON.stringify({ ts: `2026-03-01 ${ts}`, msisdn, event: 'call_out', cell_id: cell, peer, duration_s: 20 });
}

describe('stream routes', () => {
  it('shows the live area view, edits rules without restart and rejects invalid ones', async () => {
    const rows = heyuanCells().cells.map((c) =>
      [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
    );
    writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'rules.yaml'), stationRules);
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${event('10:00:00', '13800000001', '9310-101', '114')}\n`);
    const warehouse = await Warehouse.open(join(dir, 'api.duckdb'));
    const clock = fixedClock('2026-03-01T04:00:00Z');
    const app = await buildServer({ warehouse, clock, webRoot: null, access: testAccess });
    try {
      const session = await openStreamSession({
        source: events,
        clock,
        warehouse,
        rulesFile: join(dir, 'rules.yaml'),
        cellsFile: join(dir, 'cells.csv'),
      });
      setLiveStream(session);
      await session.run();

      const areas = (await app.inject({ method: 'GET', url: '/api/stream/areas?window=1800' })).json();
      const station = areas.areas.find((a: { area: string }) => a.area === 'station');
      assert.equal(station.present, 1);
      assert.equal(station.callers['114'], 1);
      // The decision waits in the one outbox: not a message until the sender has sent it.
      assert.equal(station.messages, 0);
      assert.equal(
        await warehouse.scalar(`SELECT count(*) FROM channel_outbox WHERE source = 'trigger' AND status = 'pending'`),
        1,
      );
      assert.ok(areas.cells.length >= 4);
      const smsc = new LocalSmsc({ port: 0, receiptDelayMs: 10 });
      const port = await smsc.start();
      await runSender({
        warehouse,
        config: defaultConfig.channels,
        clock,
        smsc: { host: '127.0.0.1', port, systemId: 't', password: 't' },
        once: true,
      });
      await smsc.stop();
      const after = (await app.inject({ method: 'GET', url: '/api/stream/areas?window=1800' })).json();
      const sent = after.areas.find((a: { area: string }) => a.area === 'station');
      assert.deepEqual([sent.messages, sent.sent, sent.delivered, sent.failed], [1, 1, 1, 0]);

      const decisions = (await app.inject({ method: 'GET', url: '/api/stream/decisions' })).json();
      assert.equal(decisions.decisions[0].msisdn, '138****0001');

      const bad = await app.inject({
        method: 'PUT',
        url: '/api/stream/rules/campus-hello',
        payload: { where: { geofences: ['nowhere'] }, message: { text: 'hi' } },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'RULE_INVALID');
      assert.match(bad.json().error.message, /unknown geofence "nowhere"/);

      const fence = await app.inject({
        method: 'PUT',
        url: '/api/stream/geofences/east',
        payload: { name: '东源', county: ['东源'] },
      });
      assert.equal(fence.statusCode, 200);
      assert.equal(fence.json().cells, 1);
      const badFence = await app.inject({ method: 'PUT', url: '/api/stream/geofences/ring', payload: { radius_m: 5 } });
      assert.equal(badFence.statusCode, 400);
      assert.match(badFence.json().error.message, /centre and radius_m go together/);
      const east = await app.inject({
        method: 'PUT',
        url: '/api/stream/rules/east-hello',
        payload: { where: { geofences: ['east'], on: 'enter' }, message: { text: '东源欢迎你' }, control: 0 },
      });
      assert.equal(east.statusCode, 200);
      session.engine.process({
        tsMs: Date.UTC(2026, 2, 1, 11),
        msisdn: '13800000077',
        event: 'location_update',
        cellId: '9320-301',
        peer: '',
        durationSec: 0,
      });
      assert.ok(session.engine.counters.decisions >= 2);
      await app.inject({ method: 'DELETE', url: '/api/stream/rules/east-hello' });

      const put = await app.inject({
        method: 'PUT',
        url: '/api/stream/rules/campus-hello',
        payload: { where: { geofences: ['campus'], on: 'enter' }, message: { text: '欢迎' }, control: 0 },
      });
      assert.equal(put.statusCode, 200);
      assert.equal(session.engine.rules.get('campus-hello')!.version, 1);
      assert.equal(
        (await app.inject({ method: 'POST', url: '/api/stream/rules/station-114-not-12580/pause' })).json().paused,
        true,
      );
      assert.equal(session.engine.rules.get('station-114-not-12580')!.paused, true);
      assert.equal((await app.inject({ method: 'DELETE', url: '/api/stream/rules/campus-hello' })).statusCode, 204);
      assert.equal(session.engine.rules.get('campus-hello'), undefined);
      const stored = await warehouse.all('SELECT rule_id, paused FROM stream_rules ORDER BY rule_id');
      assert.deepEqual(stored, [{ rule_id: 'station-114-not-12580', paused: true }]);

      const effect = (await app.inject({ method: 'GET', url: '/api/stream/effect' })).json();
      assert.equal(effect.effect[0].triggered, 1);
    } finally {
      setLiveStream(undefined);
      await app.close();
      warehouse.close();
    }
  });
});
