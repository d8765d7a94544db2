// The sender against a real SMPP server on loopback in another process (`telmark smsc`): the window,
// throttling, a drop mid-batch with reconnect, receipts, MO opt-out, UCS-2 and concatenation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inGlobalControlGroup, parseSmppUrl, queueMessages, runSender } from '../../src/channels/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { fixedClock, systemClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { type SmscProcess, startSmscProcess } from './smsc-process.ts';

const recipients = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `135${String(from + i).padStart(8, '0')}`).filter(
    (m) => !inGlobalControlGroup(m, 0.02),
  );

function senderConfig() {
  const config = structuredClone(defaultConfig.channels);
  config.policy.quietHours = 'off';
  config.policy.capPerDay = 0;
  config.policy.capPerWeek = 0;
  config.policy.capPerMonth = 0;
  config.sms.receiptWaitSec = 15;
  config.sms.responseTimeoutSec = 5;
  return config;
}

const statuses = (warehouse: Warehouse) =>
  warehouse.all<{ status: string; n: number }>(
    'SELECT status, count(*)::INTEGER AS n FROM channel_outbox GROUP BY ALL ORDER BY ALL',
  );

describe('sender over SMPP', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-smpp-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function setup(name: string, flags: string[]): Promise<{ warehouse: Warehouse; smsc: SmscProcess }> {
    const smsc = await startSmscProcess(join(dir, `${name}.log`), flags);
    const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
    return { warehouse, smsc };
  }

  test('keeps at most one window outstanding; Chinese goes as UCS-2 in concatenated parts; receipts deliver', async () => {
    const { warehouse, smsc } = await setup('window', ['--response-delay', '20', '--receipt-delay', '50']);
    try {
      const config = senderConfig();
      const long = '河源火车站12580出行助手：回复1查询车次，回复2预订酒店，回复3叫出租车，祝您旅途愉快！'.repeat(3);
      const to = recipients(40);
      await queueMessages(
        warehouse,
        {
          source: 'campaign',
          sourceRef: 'w',
          messages: to.map((r, i) => ({ recipient: r, text: i % 4 === 0 ? long : `Offer ${i}: 10 yuan` })),
        },
        { config, clock: systemClock },
      );
      const progress = await runSender({
        warehouse,
        config,
        clock: systemClock,
        smsc: parseSmppUrl(smsc.url),
        window: 5,
        tps: 500,
        once: true,
      });
      const stats = await smsc.stats();
      assert.ok(stats.maxOutstanding <= 5, `outstanding ${stats.maxOutstanding} > window 5`);
      assert.ok(stats.maxOutstanding >= 3, `the window was used (${stats.maxOutstanding})`);
      assert.deepEqual(await statuses(warehouse), [{ status: 'delivered', n: to.length }]);
      assert.equal(progress.delivered, to.length);
      const log = smsc.log();
      const chinese = log.filter((e) => e.to === to[0]);
      assert.ok(chinese.length >= 2, 'a long Chinese text goes in several parts');
      assert.ok(chinese.every((e) => e.dataCoding === 8 && e.ref === chinese[0]!.ref && e.total === chinese.length));
      assert.deepEqual(
        chinese.map((e) => e.seq),
        chinese.map((_, i) => i + 1),
      );
      assert.equal(chinese.map((e) => e.text).join(''), long);
      const ascii = log.find((e) => e.to === to[1]);
      assert.equal(ascii?.dataCoding, 0);
      assert.equal(ascii?.text, 'Offer 1: 10 yuan');
      const parts = await warehouse.scalar(`SELECT count(*) FROM channel_parts WHERE status = 'delivered'`);
      assert.equal(parts, log.length);
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });

  test('ESME_RTHROTTLED is retried later and every message goes exactly once', async () => {
    const { warehouse, smsc } = await setup('throttle', ['--throttle-every', '7', '--receipt-delay', '20']);
    try {
      const config = senderConfig();
      const to = recipients(60, 1000);
      await queueMessages(
        warehouse,
        { source: 'campaign', messages: to.map((r, i) => ({ recipient: r, text: `Throttle test ${i}` })) },
        { config, clock: systemClock },
      );
      // Retries wait 2^attempts seconds; a fixed clock moved forward would do too, but the real one is short enough.
      const progress = await runSender({
        warehouse,
        config,
        clock: systemClock,
        smsc: parseSmppUrl(smsc.url),
        tps: 1000,
        once: true,
        idleMs: 100,
      });
      assert.ok(progress.retried > 0, 'some submits were throttled');
      assert.ok((await smsc.stats()).throttled > 0);
      const history = await warehouse.scalar(`SELECT count(*) FROM channel_status_history WHERE reason = 'throttled'`);
      assert.equal(history, progress.retried);
      assert.deepEqual(await statuses(warehouse), [{ status: 'delivered', n: to.length }]);
      const sent = smsc.log().map((e) => e.text);
      assert.equal(new Set(sent).size, sent.length, 'no message twice');
      assert.equal(sent.length, to.length);
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });

  test('a drop mid-batch: the sender reconnects; unanswered submits are unknown (at most one window), none twice', async () => {
    const { warehouse, smsc } = await setup('drop', ['--receipt-delay', '20', '--response-delay', '5']);
    try {
      const config = senderConfig();
      const to = recipients(300, 2000);
      await queueMessages(
        warehouse,
        { source: 'campaign', messages: to.map((r, i) => ({ recipient: r, text: `Drop test ${i}` })) },
        { config, clock: systemClock },
      );
      let dropped = false;
      const progress = await runSender({
        warehouse,
        config,
        clock: systemClock,
        smsc: parseSmppUrl(smsc.url),
        tps: 300,
        window: 10,
        once: true,
        backoffMs: 100,
        onProgress: (p) => {
          if (!dropped && p.submitted > 100) {
            dropped = true;
            smsc.send('drop');
          }
        },
      });
      assert.ok(dropped);
      assert.ok(progress.reconnects >= 1, 'reconnected after the drop');
      const rows = await statuses(warehouse);
      const unknown = rows.find((r) => r.status === 'unknown')?.n ?? 0;
      assert.ok(unknown <= 10, `${unknown} unknown > one window`);
      assert.equal(rows.find((r) => r.status === 'delivered')?.n, to.length - unknown);
      const sent = smsc.log().map((e) => e.text);
      assert.equal(new Set(sent).size, sent.length, 'no message twice');
      assert.ok(sent.length >= to.length - unknown);
      assert.ok((await smsc.stats()).binds >= 2);
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });

  test('an opt-out reply mid-batch stops that number at once, with one confirmation; other replies are kept', async () => {
    const { warehouse, smsc } = await setup('optout', ['--receipt-delay', '20']);
    try {
      const config = senderConfig();
      const to = recipients(120, 3000);
      const early = to[0]!;
      const late = to[to.length - 1]!;
      await queueMessages(
        warehouse,
        {
          source: 'campaign',
          sourceRef: 'spring',
          messages: to.map((r, i) => ({ recipient: r, text: `Opt-out test ${i}` })),
        },
        { config, clock: systemClock },
      );
      // A second campaign for the late number, which must not go either.
      await queueMessages(
        warehouse,
        { source: 'trigger', messages: [{ recipient: late, text: 'station offer' }] },
        { config, clock: systemClock },
      );
      let replied = false;
      await runSender({
        warehouse,
        config,
        clock: systemClock,
        smsc: parseSmppUrl(smsc.url),
        tps: 100,
        window: 5,
        once: true,
        onProgress: (p) => {
          if (!replied && p.submitted >= 10) {
            replied = true;
            smsc.send(`mo ${late} 退订`);
            smsc.send(`mo ${late} TD`);
            smsc.send(`mo ${early} 1`);
          }
        },
      });
      const log = smsc.log();
      const toLate = log.filter((e) => e.to === late).map((e) => e.text);
      assert.deepEqual(toLate, [config.policy.optOutConfirmation], 'only the one confirmation');
      const lateRows = await warehouse.all<{ status: string; reason: string }>(
        `SELECT status, reason FROM channel_outbox WHERE recipient = ? AND source <> 'system' ORDER BY ALL`,
        [late],
      );
      assert.deepEqual(lateRows, [
        { status: 'skipped', reason: 'opted_out_at_send' },
        { status: 'skipped', reason: 'opted_out_at_send' },
      ]);
      assert.equal(await warehouse.scalar('SELECT count(*) FROM channel_opt_outs WHERE msisdn = ?', [late]), 1);
      const reply = await warehouse.one<{ text: string; message_id: string; opt_out: boolean }>(
        'SELECT text, message_id, opt_out FROM channel_responses WHERE msisdn = ?',
        [early],
      );
      assert.equal(reply?.text, '1');
      assert.equal(reply?.opt_out, false);
      assert.match(reply?.message_id ?? '', /^campaign\|spring\|sms\|/);
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });

  test('quiet hours are checked again before sending: a message queued at 20:59 waits past midnight for 08:00', async () => {
    const { warehouse, smsc } = await setup('quiet', ['--receipt-delay', '10']);
    try {
      const config = senderConfig();
      config.policy.quietHours = { from: '21:00', to: '08:00' };
      const clock = fixedClock('2026-03-02T20:59:00+08:00');
      const [to] = recipients(1, 4000);
      const queued = await queueMessages(
        warehouse,
        { source: 'campaign', messages: [{ recipient: to!, text: 'evening offer' }] },
        { config, clock },
      );
      assert.deepEqual(queued.deferred, {});
      clock.set('2026-03-03T00:30:00+08:00'); // the sender only starts after midnight
      const night = await runSender({ warehouse, config, clock, smsc: parseSmppUrl(smsc.url), once: true });
      assert.equal(night.deferred, 1);
      assert.equal(smsc.log().length, 0);
      const row = await warehouse.one<{ status: string; reason: string; nb: string }>(
        `SELECT status, reason, strftime(not_before, '%Y-%m-%d %H:%M') AS nb FROM channel_outbox`,
      );
      assert.deepEqual(row, { status: 'pending', reason: 'quiet_hours', nb: '2026-03-03 08:00' });
      clock.set('2026-03-03T08:00:00+08:00');
      const morning = await runSender({ warehouse, config, clock, smsc: parseSmppUrl(smsc.url), once: true });
      assert.equal(morning.delivered, 1);
      assert.deepEqual(
        smsc.log().map((e) => e.text),
        ['evening offer'],
      );
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });

  test('a transmitter and a receiver bind instead of one transceiver', async () => {
    const { warehouse, smsc } = await setup('trx', [
      '--receipt-delay',
      '10',
      '--system-id',
      'telmark',
      '--password',
      'secret',
    ]);
    try {
      const config = senderConfig();
      config.sms.bind = 'transmitter+receiver';
      const to = recipients(5, 5000);
      await queueMessages(
        warehouse,
        { source: 'campaign', messages: to.map((r, i) => ({ recipient: r, text: `two binds ${i}` })) },
        { config, clock: systemClock },
      );
      const progress = await runSender({
        warehouse,
        config,
        clock: systemClock,
        smsc: parseSmppUrl(smsc.url),
        once: true,
      });
      assert.equal(progress.delivered, to.length, 'receipts come back on the receiver bind');
      assert.equal((await smsc.stats()).binds, 2);
      await assert.rejects(
        runSender({
          warehouse,
          config,
          clock: systemClock,
          smsc: parseSmppUrl(smsc.url.replace('secret', 'wrong')),
          once: true,
        }),
        /refused bind_transmitter/,
      );
    } finally {
      warehouse.close();
      await smsc.stop();
    }
  });
});
