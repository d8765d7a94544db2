import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import { summariseAreas } from '../../../src/stream/engine/area-view.ts';
import { isControl } from '../../../src/stream/engine/control-group.ts';
import { measureRuleEffect } from '../../../src/stream/effect/rule-effect.ts';
import { openStreamSession } from '../../../src/stream/stream-session.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { harness, heyuanCells, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-effect-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('live area view', () => {
  it('counts who is in each area now and who called 114 and 12580 in the window', () => {
    const h = harness(stationRules);
    h.send('2026-03-01 10:00:00', '13800000001', 'call_out', '9310-101', '114');
    h.send('2026-03-01 10:01:00', '13800000002', 'call_out', '9310-102', '114');
    h.send('2026-03-01 10:02:00', '13800000003', 'call_out', '9310-102', '12580');
    h.send('2026-03-01 10:03:00', '13800000004', 'call_out', '9310-201', '114');
    h.send('2026-03-01 09:00:00', '13800000005', 'call_out', '9310-101', '114');
    h.send('2026-03-01 10:04:00', '13800000006', 'location_update', '9310-101');
    h.send('2026-03-01 10:05:00', '13800000006', 'detach', '9310-101');
    const view = summariseAreas(h.engine, { windowSec: 1800 });
    const station = view.areas.find((a) => a.area === 'station')!;
    assert.equal(station.present, 4);
    assert.deepEqual(station.callers, { '114': 2, '12580': 1 });
    assert.equal(station.triggered, 3);
    assert.equal(station.leaves, 1);
    const campus = view.areas.find((a) => a.area === 'campus')!;
    assert.deepEqual([campus.present, campus.callers['114']], [1, 1]);
    assert.equal(view.cells.find((c) => c.cellId === '9310-101')!.present, 2);
  });
});

describe('held-out control and response', () => {
  it('holds out about the configured share, the same subscribers every time', () => {
    const held = Array.from({ length: 10_000 }, (_, i) => isControl(`138${String(i).padStart(8, '0')}`, 'r1', 0.1));
    const share = held.filter(Boolean).length / held.length;
    assert.ok(share > 0.09 && share < 0.11, `share ${share}`);
    assert.equal(isControl('13800000042', 'r1', 0.1), held[42]);
  });

  it('measures triggered against control responses from simulated orders', async () => {
    const rows = heyuanCells().cells.map((c) =>
      [c.cellId, '1', '1', c.name, c.lat, c.lon, c.region, c.county, c.areaType].join(','),
    );
    writeFileSync(join(dir, 'cells.csv'), `cell_id,lac,ci,name,lat,lon,region,county,area_type\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'rules.yaml'), stationRules.replace('control: 0', 'control: 0.3'));
    const lines = Array.from({ length: 600 }, (_, i) =>
      JSON.stringify({
        ts: `2026-03-01 1${Math.floor(i / 100)}:${String(Math.floor((i % 100) / 2)).padStart(2, '0')}:00`,
        msisdn: `139${String(i).padStart(8, '0')}`,
        event: 'call_out',
        cell_id: '9310-101',
        peer: '114',
        duration_s: 30,
      }),
    );
    writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    const warehouse = await Warehouse.open(join(dir, 'effect.duckdb'));
    try {
      const session = await openStreamSession({
        source: join(dir, 'events.jsonl'),
        clock: fixedClock('2026-03-01T04:00:00Z'),
        warehouse,
        rulesFile: join(dir, 'rules.yaml'),
        cellsFile: join(dir, 'cells.csv'),
        simulateResponses: () => 0.5,
      });
      await session.run();
      const [effect] = await measureRuleEffect(warehouse);
      assert.equal(effect!.rule_id, 'station-114-not-12580');
      assert.equal(effect!.triggered + effect!.control, 600);
      assert.ok(effect!.control > 130 && effect!.control < 230, `control ${effect!.control}`);
      assert.ok(effect!.triggered_rate! > 0.4 && effect!.triggered_rate! < 0.6, `triggered ${effect!.triggered_rate}`);
      assert.ok(effect!.control_rate! < 0.05, `control ${effect!.control_rate}`);
      assert.ok(effect!.uplift! > 0.35);
      assert.equal(effect!.basis, 'decided', 'nothing was sent yet');

      // Once the channels send: only delivered messages count on the messaged side.
      const triggered = await warehouse.all<{ id: string }>(
        `SELECT message_id AS id FROM channel_outbox WHERE source = 'trigger' ORDER BY message_id`,
      );
      assert.equal(triggered.length, effect!.triggered, 'every triggered decision is in the outbox');
      const delivered = triggered.slice(0, 150).map((m) => m.id);
      await warehouse.run(`UPDATE channel_outbox SET status = 'failed' WHERE source = 'trigger'`);
      await warehouse.run(
        `UPDATE channel_outbox SET status = 'delivered' WHERE message_id IN (${delivered.map(() => '?').join(', ')})`,
        delivered,
      );
      const [sent] = await measureRuleEffect(warehouse);
      assert.equal(sent!.basis, 'delivered');
      assert.equal(sent!.triggered, 150);
      assert.equal(sent!.control, effect!.control, 'the control group does not change');
    } finally {
      warehouse.close();
    }
  });
});
