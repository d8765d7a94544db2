// The sender's journal: what a dead sender appended (answers and intents, in order) is folded into the
// outbox before anything else, and only an intent without an answer becomes `unknown` (or is resent).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { queueMessages } from '../../src/channels/index.ts';
import { appendSendLog, recoverInFlight } from '../../src/channels/sender/sender-store.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-send-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a journal left by a crash folds: answered rounds keep their answer, the round on the wire is unknown', async () => {
  const warehouse = await Warehouse.open(join(dir, 'log.duckdb'));
  try {
    const config = structuredClone(defaultConfig.channels);
    config.policy.quietHours = 'off';
    config.policy.controlGroupShare = 0;
    const clock = fixedClock('2026-03-02T10:00:00+08:00');
    await queueMessages(
      warehouse,
      {
        source: 'campaign',
        sourceRef: 'log',
        messages: ['13500000001', '13500000002', '13500000003'].map((recipient, i) => ({
          id: `m${i + 1}`,
          recipient,
          text: `Offer ${i}`,
        })),
      },
      { config, clock },
    );
    // Round 1 (m1, m2) went out and was answered; round 2 (m3) was on the wire at the kill.
    await appendSendLog(warehouse, { updates: [], intents: ['m1', 'm2'], now: '2026-03-02 10:00:01' });
    await appendSendLog(warehouse, {
      updates: [
        {
          messageId: 'm1',
          status: 'submitted',
          reason: null,
          submitted: true,
          parts: 1,
          smscIds: 'a1',
          newParts: [{ smscId: 'a1', partNo: 1 }],
        },
        { messageId: 'm2', status: 'failed', reason: 'smpp_status_0x0b', final: true, parts: 1 },
      ],
      intents: ['m3'],
      now: '2026-03-02 10:00:02',
    });
    const recovered = await recoverInFlight(warehouse, config, '2026-03-02 10:00:05');
    assert.deepEqual(recovered, { unknown: 1, resent: 0 });
    const rows = await warehouse.all<{ message_id: string; status: string; attempts: number; submitted: string }>(
      `SELECT message_id, status, attempts, strftime(submitted_at, '%H:%M:%S') AS submitted
       FROM channel_outbox ORDER BY message_id`,
    );
    assert.deepEqual(rows, [
      { message_id: 'm1', status: 'submitted', attempts: 1, submitted: '10:00:02' },
      { message_id: 'm2', status: 'failed', attempts: 1, submitted: null },
      { message_id: 'm3', status: 'unknown', attempts: 1, submitted: null },
    ]);
    assert.equal(await warehouse.scalar(`SELECT count(*) FROM channel_parts WHERE smsc_id = 'a1'`), 1);
    assert.equal(
      await warehouse.scalar(
        `SELECT count(*) FROM channel_status_history WHERE status IN ('submitted', 'failed', 'unknown')`,
      ),
      3,
    );
    assert.equal(await warehouse.scalar('SELECT count(*) FROM channel_send_log'), 0, 'the journal is emptied');
    // A source that asks to be resent (alerts do) is left pending again instead of unknown.
    await appendSendLog(warehouse, { updates: [], intents: ['m1'], now: '2026-03-02 10:00:06' });
    config.sources.campaign = { kind: 'marketing', resendUnknown: true };
    const again = await recoverInFlight(warehouse, config, '2026-03-02 10:00:07');
    assert.deepEqual(again, { unknown: 0, resent: 1 });
    assert.equal(await warehouse.scalar(`SELECT attempts FROM channel_outbox WHERE message_id = 'm1'`), 2);
  } finally {
    warehouse.close();
  }
});
