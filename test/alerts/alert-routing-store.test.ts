import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { detectWarehouseAnomalies } from '../../src/anomalies/index.ts';
import {
  acknowledgeAlert,
  addSilence,
  loadAlertGroups,
  runAlertRouting,
  saveAlertConfig,
} from '../../src/alerts/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

describe('alert routing over the warehouse', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  const clock = fixedClock('2026-03-24T07:00:00Z');
  const queued = () =>
    warehouse.all<{ address: string; reason: string; body: string }>(
      'SELECT address, reason, body FROM alert_messages ORDER BY id',
    );

  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    await saveAlertConfig(warehouse, {
      routes: [
        {
          name: 'county',
          match: { kpis: ['cancellations'], minSeverity: 'critical' },
          groupBy: ['day', 'county'],
          steps: [[{ kind: 'sms', phone: '13800000001' }], [{ kind: 'email', email: 'head@example.cn' }]],
          escalateAfterMinutes: 30,
          repeatAfterMinutes: 240,
        },
      ],
      oncall: [],
    });
    await detectWarehouseAnomalies(warehouse, { from: '2026-03-21', to: '2026-03-23', clock });
  });
  after(() => {
    warehouse?.close();
    fixture?.remove();
  });

  it('queues one SMS for the county cancellation jump, none on a second run, and takes the reply', async () => {
    await runAlertRouting(warehouse, { clock, newToken: () => 'ABC234' });
    const first = await queued();
    assert.equal(first.length, 1);
    assert.equal(first[0]?.address, '13800000001');
    assert.match(first[0]?.body ?? '', /龙川 退订量/);
    assert.match(first[0]?.body ?? '', /ACK ABC234/);
    const outbox = () =>
      warehouse.all<{ message_id: string; source: string; recipient: string; status: string; kind: string }>(
        `SELECT message_id, source, recipient, status, kind FROM channel_outbox WHERE source = 'alert'`,
      );
    const handedOver = await outbox();
    assert.equal(handedOver.length, 1, 'the alert went on to the outbox');
    assert.equal(handedOver[0]?.recipient, '13800000001');
    assert.equal(handedOver[0]?.status, 'pending', 'alerts pass the marketing policy');
    assert.equal(handedOver[0]?.kind, 'alert');

    clock.advance(10 * 60_000);
    await runAlertRouting(warehouse, { clock });
    assert.equal((await queued()).length, 1, 'de-duplicated');
    assert.equal((await outbox()).length, 1, 'handed over once');

    const group = await acknowledgeAlert(warehouse, { replyText: '确认 abc234', by: '13800000001' }, clock);
    assert.equal(group.status, 'acknowledged');
    clock.advance(60 * 60_000);
    await runAlertRouting(warehouse, { clock });
    assert.equal((await queued()).length, 1, 'no escalation after the acknowledgement');
    await assert.rejects(
      acknowledgeAlert(warehouse, { replyText: 'ACK ZZZZZZ', by: 'x' }, clock),
      /no open alert has the code ZZZZZZ/,
    );
  });

  it('keeps a silence and lets it lapse', async () => {
    await warehouse.run('DELETE FROM alert_groups');
    await warehouse.run('DELETE FROM alert_messages');
    const silence = await addSilence(
      warehouse,
      { matcher: { kpi: 'cancellations' }, minutes: 60, createdBy: 'ops', comment: 'county promotion ends' },
      clock,
    );
    await runAlertRouting(warehouse, { clock });
    assert.equal((await queued()).length, 0);
    const groups = await loadAlertGroups(warehouse, 'silenced');
    assert.equal(groups[0]?.silencedBy, silence.id);
    clock.advance(61 * 60_000);
    await runAlertRouting(warehouse, { clock });
    const after = await queued();
    assert.equal(after.length, 1);
    assert.equal(after[0]?.reason, 'unsilenced');
  });
});
