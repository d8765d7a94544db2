// The one contact policy at queue time: caps across sources, quiet hours across midnight, the global
// control group, opt-out and do-not-disturb, duplicates, and every skip kept with its reason.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addOptOuts,
  importDoNotDisturb,
  inGlobalControlGroup,
  outboxReasons,
  queueMessages,
} from '../../src/channels/index.ts';
import { defaultConfig, loadConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

function policyConfig(change: (c: typeof defaultConfig.channels) => void = () => undefined) {
  const config = structuredClone(defaultConfig.channels);
  config.policy.controlGroupShare = 0;
  change(config);
  return config;
}

/** Subscribers outside the global control group at the default 2 %. */
function contactable(count: number, from = 0): string[] {
  const out: string[] = [];
  for (let i = from; out.length < count; i++) {
    const msisdn = `139${String(i).padStart(8, '0')}`;
    if (!inGlobalControlGroup(msisdn, 0.02)) out.push(msisdn);
  }
  return out;
}

describe('contact policy at queue time', () => {
  test('caps per day and week count messages from every source together', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const clock = fixedClock('2026-03-02T10:00:00+08:00'); // a Monday
    const config = policyConfig((c) => {
      c.policy.capPerDay = 1;
      c.policy.capPerWeek = 2;
    });
    const [a, b] = contactable(2);
    const queue = (source: string, text: string, recipients: string[]) =>
      queueMessages(
        warehouse,
        { source, messages: recipients.map((r) => ({ recipient: r!, text })) },
        { config, clock },
      );
    assert.deepEqual((await queue('trigger', 'station offer', [a!])).skipped, {});
    const second = await queue('campaign', 'spring campaign', [a!, b!]);
    assert.equal(second.queued, 1, 'b has had nothing today');
    assert.deepEqual(second.skipped, { cap_day: 1 });
    clock.advance(86_400_000);
    assert.equal((await queue('campaign', 'tuesday offer', [a!])).queued, 1);
    clock.advance(86_400_000);
    assert.deepEqual((await queue('adhoc', 'wednesday offer', [a!])).skipped, { cap_week: 1 });
    // Alerts are not marketing: no cap applies.
    assert.equal((await queue('alert', 'link down at 源城', [a!])).queued, 1);
    const reasons = await outboxReasons(warehouse);
    assert.deepEqual(
      reasons.filter((r) => r.status === 'skipped').map((r) => [r.reason, r.messages]),
      [
        ['cap_day', 1],
        ['cap_week', 1],
      ],
    );
    warehouse.close();
  });

  test('quiet hours 21:00–08:00 defer marketing past midnight to the morning; alerts go at once', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const clock = fixedClock('2026-03-02T20:59:00+08:00');
    const config = policyConfig((c) => {
      c.policy.capPerDay = 0;
      c.policy.capPerWeek = 0;
      c.policy.capPerMonth = 0;
    });
    const subscribers = contactable(5);
    const notBefore = async (source: string, recipient: string, text: string) => {
      const r = await queueMessages(warehouse, { source, messages: [{ recipient, text }] }, { config, clock });
      const row = await warehouse.one<{ nb: string; reason: string | null }>(
        `SELECT strftime(not_before, '%Y-%m-%d %H:%M') AS nb, reason FROM channel_outbox WHERE message_id = ?`,
        [r.ids[0]!],
      );
      return `${row?.nb} ${row?.reason ?? ''}`.trim();
    };
    assert.equal(await notBefore('campaign', subscribers[0]!, 'a'), '2026-03-02 20:59');
    clock.advance(60_000); // 21:00
    assert.equal(await notBefore('campaign', subscribers[1]!, 'b'), '2026-03-03 08:00 quiet_hours');
    clock.set('2026-03-03T00:30:00+08:00');
    assert.equal(await notBefore('trigger', subscribers[2]!, 'c'), '2026-03-03 08:00 quiet_hours');
    assert.equal(await notBefore('alert', subscribers[3]!, 'd'), '2026-03-03 00:30');
    clock.set('2026-03-03T08:00:00+08:00');
    assert.equal(await notBefore('campaign', subscribers[4]!, 'e'), '2026-03-03 08:00');
    // A message that would expire before the morning is not sent at all.
    clock.set('2026-03-03T23:00:00+08:00');
    const expiring = await queueMessages(
      warehouse,
      {
        source: 'trigger',
        messages: [
          { recipient: subscribers[0]!, text: 'tonight only', expiresAtMs: Date.parse('2026-03-04T02:00:00Z') },
        ],
      },
      { config, clock },
    );
    assert.deepEqual(expiring.skipped, { expired: 1 });
    warehouse.close();
  });

  test('TELMARK_QUIET_HOURS=off lets marketing out at night', async () => {
    const config = loadConfig({ env: { TELMARK_QUIET_HOURS: 'off' } }).channels;
    assert.equal(config.policy.quietHours, 'off');
    const warehouse = await Warehouse.open(':memory:');
    const clock = fixedClock('2026-03-02T23:30:00+08:00');
    const r = await queueMessages(
      warehouse,
      { source: 'campaign', messages: [{ recipient: contactable(1)[0]!, text: 'late' }] },
      { config, clock },
    );
    assert.deepEqual([r.queued, r.deferred], [1, {}]);
    assert.deepEqual(loadConfig({ env: { TELMARK_QUIET_HOURS: '22:00-07:30' } }).channels.policy.quietHours, {
      from: '22:00',
      to: '07:30',
    });
    assert.throws(() => loadConfig({ env: { TELMARK_QUIET_HOURS: 'nightly' } }), /quietHours/);
    warehouse.close();
  });

  test('the global control group is stable, about 2 %, and never queued for marketing', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const clock = fixedClock('2026-03-02T10:00:00+08:00');
    const config = structuredClone(defaultConfig.channels);
    const recipients = Array.from({ length: 10_000 }, (_, i) => `137${String(i).padStart(8, '0')}`);
    const r = await queueMessages(
      warehouse,
      { source: 'campaign', sourceRef: 'c1', messages: recipients.map((recipient) => ({ recipient, text: 'hello' })) },
      { config, clock },
    );
    const held = r.skipped.control_group ?? 0;
    assert.ok(held > 150 && held < 250, `control group ${held} of 10,000`);
    const again = await queueMessages(
      warehouse,
      { source: 'trigger', sourceRef: 'r1', messages: recipients.map((recipient) => ({ recipient, text: 'other' })) },
      { config, clock },
    );
    assert.equal(again.skipped.control_group, held, 'the same subscribers, whatever the source');
    assert.equal(
      await warehouse.scalar(
        `SELECT count(*) FROM channel_outbox WHERE status <> 'skipped' AND reason IS DISTINCT FROM 'quiet_hours'
           AND subscriber IN (SELECT subscriber FROM channel_outbox WHERE reason = 'control_group')`,
      ),
      0,
    );
    warehouse.close();
  });

  test('opt-out, do-not-disturb and duplicates are skipped with their reasons', async () => {
    const warehouse = await Warehouse.open(':memory:');
    const clock = fixedClock('2026-03-02T10:00:00+08:00');
    const config = policyConfig((c) => {
      c.policy.capPerDay = 0;
    });
    const [a, b, c] = contactable(3);
    await addOptOuts(warehouse, [a!], { at: '2026-03-01 09:00:00', via: 'hand' });
    assert.equal(await importDoNotDisturb(warehouse, [b!, b!], { at: '2026-03-01 09:00:00', note: 'registry' }), 1);
    const first = await queueMessages(
      warehouse,
      {
        source: 'campaign',
        messages: [
          { recipient: a!, text: 'x' },
          { recipient: b!, text: 'x' },
          { recipient: c!, text: 'x' },
          { recipient: c!, text: 'x' },
          { recipient: '12345', text: 'x' },
        ],
      },
      { config, clock },
    );
    assert.equal(first.queued, 1);
    assert.deepEqual(first.skipped, { opted_out: 1, do_not_disturb: 1, duplicate: 1, invalid_recipient: 1 });
    // The same text from another source is still the same message to c; a re-run adds no row.
    const second = await queueMessages(
      warehouse,
      { source: 'trigger', messages: [{ recipient: c!, text: 'x' }] },
      { config, clock },
    );
    assert.deepEqual(second.skipped, { duplicate: 1 });
    const rows = await warehouse.scalar('SELECT count(*) FROM channel_outbox');
    await queueMessages(warehouse, { source: 'trigger', messages: [{ recipient: c!, text: 'x' }] }, { config, clock });
    assert.equal(await warehouse.scalar('SELECT count(*) FROM channel_outbox'), rows);
    warehouse.close();
  });
});
