import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { detectWarehouseAnomalies } from '../../src/anomalies/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { saveAlertConfig } from '../../src/alerts/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import { testAccess } from '../access/test-access.ts';

describe('anomaly and alert routes', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  const clock = fixedClock('2026-03-24T07:00:00Z');
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    await detectWarehouseAnomalies(warehouse, { from: '2026-03-17', to: '2026-03-23', clock });
    await saveAlertConfig(warehouse, {
      routes: [
        {
          name: 'all',
          match: { minSeverity: 'warning' },
          groupBy: ['day', 'kpi'],
          steps: [[{ kind: 'email', email: 'ops@example.cn' }]],
          escalateAfterMinutes: 30,
          repeatAfterMinutes: 240,
        },
      ],
      oncall: [],
    });
    app = await buildServer({ warehouse, webRoot: null, clock, readers: 0, access: testAccess });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  test('lists anomalies, routes them, acknowledges one and silences another', async () => {
    const anomalies = (await app.inject('/api/anomalies?from=2026-03-18&to=2026-03-23')).json().anomalies;
    assert.ok(
      anomalies.some((a: { day: string; kind: string }) => a.day === '2026-03-18' && a.kind === 'unconfirmed_orders'),
    );
    assert.equal((await app.inject('/api/anomalies?from=18-03')).statusCode, 400);

    const routed = (await app.inject({ method: 'POST', url: '/api/alerts/route' })).json();
    assert.ok(routed.messages >= 2);
    const open = (await app.inject('/api/alerts?status=open')).json().groups;
    assert.ok(open.length >= 2);
    assert.ok(
      open.every((g: Record<string, unknown>) => !('ackToken' in g)),
      'codes never leave the server',
    );
    const first = open[0];
    const acked = await app.inject({ method: 'POST', url: '/api/alerts/ack', payload: { key: first.key, by: 'li' } });
    assert.equal(acked.statusCode, 200);
    const history = (await app.inject('/api/alerts?status=acknowledged')).json().groups;
    assert.equal(history[0].key, first.key);
    assert.equal(history[0].ackedBy, 'li');

    const second = open[1];
    const silenced = await app.inject({
      method: 'POST',
      url: '/api/alerts/silences',
      payload: { matcher: { kpi: second.anomalies[0].kpi }, minutes: 60, comment: 'known', by: 'li' },
    });
    assert.equal(silenced.statusCode, 200);
    const state = (await app.inject('/api/alerts')).json();
    assert.ok(
      state.groups.some((g: { key: string; status: string }) => g.key === second.key && g.status === 'silenced'),
    );
    assert.equal(state.silences[0].active, true);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/alerts/reply',
      payload: { from: '13800000001', text: 'ACK NOPE99' },
    });
    assert.equal(wrong.statusCode, 404);
    const badConfig = await app.inject({
      method: 'PUT',
      url: '/api/alerts/config',
      payload: {
        routes: [{ name: 'x', match: {}, groupBy: [], steps: [[{ kind: 'sms', phone: '123' }]] }],
        oncall: [],
      },
    });
    assert.equal(badConfig.statusCode, 400);
    assert.match(badConfig.json().error.message, /routes\[0\]\.steps\[0\]\[0\]\.phone: 11 digits/);
  });
});
