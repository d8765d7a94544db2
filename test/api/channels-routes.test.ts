// The channels routes: the outbox searchable with numbers masked, and the status of sending.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServer } from '../../src/api/server.ts';
import { queueMessages } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { testAccess } from '../access/test-access.ts';

test('GET /api/outbox filters and masks numbers; /api/channels/status counts by status and reason', async () => {
  const warehouse = await Warehouse.open(':memory:');
  const clock = fixedClock('2026-03-02T10:00:00+08:00');
  const app = await buildServer({ warehouse, clock, webRoot: null, access: testAccess });
  try {
    await queueMessages(
      warehouse,
      {
        source: 'campaign',
        sourceRef: 'spring',
        messages: [
          { recipient: '13800000001', text: 'a' },
          { recipient: '13800000001', text: 'a' },
        ],
      },
      { config: defaultConfig.channels, clock },
    );
    const outbox = await app.inject({ method: 'GET', url: '/api/outbox?source=spring&status=pending' });
    assert.equal(outbox.statusCode, 200, outbox.body);
    const messages = outbox.json().messages as { recipient: string }[];
    assert.deepEqual(
      messages.map((m) => m.recipient),
      ['138****0001'],
    );
    assert.equal((await app.inject({ method: 'GET', url: '/api/outbox?status=lost' })).statusCode, 400);
    const status = (await app.inject({ method: 'GET', url: '/api/channels/status' })).json();
    assert.equal(status.sender.running, false);
    assert.equal(status.outbox.sms.pending, 1);
    assert.deepEqual(status.reasons, []);
  } finally {
    await app.close();
    warehouse.close();
  }
});
