import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalSmsc, parseSmppUrl, runSender } from '../../src/channels/index.ts';
import { writeRound } from '../../src/channels/sender/sender-store.ts';
import {
  approveCampaign,
  cancelCampaign,
  createCampaign,
  measureRound,
  pauseCampaign,
  resumeCampaign,
  showCampaign,
  startPilot,
  validateContent,
} from '../../src/campaigns/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { actor, campaignDeps, openCampaignWarehouse } from './campaign-fixture.ts';

const deps = campaignDeps();
deps.channels.sms.receiptWaitSec = 10;
const maker = actor('alice', 'campaign_manager');
const checker = actor('bob', 'approver');

async function runningCampaign(warehouse: Warehouse, name: string): Promise<string> {
  const c = await createCampaign(
    warehouse,
    validateContent({
      name,
      service: 'music',
      message: { text: '音乐包首月免费' },
      audience: { all: [] },
      schedule: { start: '2026-04-01' },
      pilot: { share: 0.5, controlShare: 0.2 },
    }),
    maker,
    deps,
  );
  await approveCampaign(warehouse, c.id, checker, deps);
  await startPilot(warehouse, c.id, maker, deps);
  return c.id;
}

const statusCounts = async (warehouse: Warehouse, id: string) =>
  Object.fromEntries(
    (
      await warehouse.all<{ status: string; n: number }>(
        'SELECT status, count(*)::INTEGER AS n FROM channel_outbox WHERE source_ref = ? GROUP BY status',
        [id],
      )
    ).map((r) => [r.status, r.n]),
  ) as Record<string, number>;

describe('pausing and resuming a campaign', () => {
  let warehouse: Warehouse;
  let smsc: LocalSmsc;
  let dir: string;
  let id = '';
  let queued = 0;

  const send = () =>
    runSender({
      warehouse,
      config: deps.channels,
      clock: deps.clock,
      smsc: parseSmppUrl(`smpp://telmark:secret@127.0.0.1:${smsc.port}`),
      tps: 5000,
      window: 50,
      once: true,
    });
  const smscLog = () =>
    readFileSync(join(dir, 'smsc.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { to: string });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-pause-'));
    warehouse = await openCampaignWarehouse(600);
    smsc = new LocalSmsc({
      port: 0,
      systemId: 'telmark',
      password: 'secret',
      receiptDelayMs: 5,
      logFile: join(dir, 'smsc.log'),
    });
    await smsc.start();
    id = await runningCampaign(warehouse, 'pause me');
    queued = (await statusCounts(warehouse, id)).pending ?? 0;
    assert.ok(queued > 100, `pilot queued ${queued}`);
  });
  after(async () => {
    await smsc.stop();
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every pending message, and a real sender run sends none of them', async () => {
    const paused = await pauseCampaign(warehouse, id, maker, deps, 'text needs a fix');
    assert.equal(paused.messages, queued);
    assert.equal(paused.campaign.status, 'pilot', 'the lifecycle status stays');
    assert.equal(paused.campaign.paused?.by, 'alice');
    assert.deepEqual(await statusCounts(warehouse, id), { held: queued });
    const progress = await send();
    assert.equal(progress.submitted, 0);
    assert.equal(smsc.stats.accepted, 0);
    assert.deepEqual(await statusCounts(warehouse, id), { held: queued });
  });

  it('keeps the evaluation readable and refuses a new round or a second pause while paused', async () => {
    const evaluation = await measureRound(warehouse, id);
    assert.equal(evaluation.round, 1);
    assert.ok(evaluation.contacted + evaluation.control > 0 || evaluation.funnel.assigned > 0);
    await assert.rejects(pauseCampaign(warehouse, id, maker, deps), /is paused/);
    await assert.rejects(startPilot(warehouse, id, maker, deps), /is paused/);
  });

  it('resumes: the held messages go out once each, and a second sender run sends nothing again', async () => {
    const resumed = await resumeCampaign(warehouse, id, maker, deps);
    assert.equal(resumed.messages, queued);
    assert.equal(resumed.campaign.paused, null);
    await assert.rejects(resumeCampaign(warehouse, id, maker, deps), /not paused/);
    const first = await send();
    assert.equal(first.submitted, queued);
    const again = await send();
    assert.equal(again.submitted, 0);
    const log = smscLog();
    assert.equal(log.length, queued);
    assert.equal(new Set(log.map((e) => e.to)).size, queued, 'no subscriber got the message twice');
    const counts = await statusCounts(warehouse, id);
    assert.equal((counts.delivered ?? 0) + (counts.submitted ?? 0), queued, JSON.stringify(counts));
  });

  it('records each step in the history, the pauses and the audit log', async () => {
    const detail = await showCampaign(warehouse, id);
    const actions = detail.changes.map((c) => c.action);
    assert.deepEqual(actions.slice(-2), ['pause', 'resume']);
    assert.equal(detail.changes.at(-2)?.note, 'text needs a fix');
    assert.equal(detail.pauses.length, 1);
    assert.equal(detail.pauses[0]?.held, queued);
    assert.equal(detail.pauses[0]?.released, queued);
    assert.equal(detail.pauses[0]?.endedHow, 'resumed');
    const audit = await warehouse.all<{ action: string; actor: string; detail: string }>(
      `SELECT action, actor, detail FROM audit_log WHERE target = ? AND action IN ('campaign.pause', 'campaign.resume') ORDER BY seq`,
      [id],
    );
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ['campaign.pause', 'alice'],
        ['campaign.resume', 'alice'],
      ],
    );
    assert.equal(JSON.parse(audit[0]!.detail).held, queued);
    const history = await warehouse.scalar(
      `SELECT count(*) FROM channel_status_history h JOIN channel_outbox o USING (message_id)
       WHERE o.source_ref = ? AND h.status = 'held' AND h.reason = 'campaign_paused'`,
      [id],
    );
    assert.equal(history, queued);
  });

  it('a cancel while paused drops the held messages for good', async () => {
    const other = await runningCampaign(warehouse, 'cancel me');
    const { messages } = await pauseCampaign(warehouse, other, maker, deps);
    assert.ok(messages > 0);
    const cancelled = await cancelCampaign(warehouse, other, maker, deps, 'wrong offer');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.paused, null);
    // Others were skipped at queue time already (the daily cap: the first campaign reached them today).
    assert.equal((await statusCounts(warehouse, other)).held, undefined);
    const dropped = await warehouse.scalar(
      `SELECT count(*) FROM channel_outbox WHERE source_ref = ? AND status = 'skipped' AND reason = 'campaign_cancelled'`,
      [other],
    );
    assert.equal(dropped, messages);
  });

  it("a sender's late answer that only defers a message leaves it held", async () => {
    const third = await runningCampaign(warehouse, 'late answer');
    const [message] = await warehouse.all<{ message_id: string }>(
      `SELECT message_id FROM channel_outbox WHERE source_ref = ? AND status = 'pending' ORDER BY message_id LIMIT 1`,
      [third],
    );
    await pauseCampaign(warehouse, third, maker, deps);
    // The sender had fetched it before the pause and was throttled: its fold says `pending` again.
    await warehouse.transaction(() =>
      writeRound(warehouse, {
        steps: [
          {
            updates: [{ messageId: message!.message_id, status: 'pending', reason: 'throttled' }],
            intents: [],
            at: '2026-04-01 10:00:01',
          },
        ],
        now: '2026-04-01 10:00:01',
      }),
    );
    const row = await warehouse.one<{ status: string; reason: string }>(
      'SELECT status, reason FROM channel_outbox WHERE message_id = ?',
      [message!.message_id],
    );
    assert.deepEqual({ ...row }, { status: 'held', reason: 'campaign_paused' });
  });
});

describe('pausing while a sender is sending', () => {
  it('stops the campaign within about half a second, and resume sends the rest once each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telmark-pause-live-'));
    const warehouse = await openCampaignWarehouse(600);
    const smsc = new LocalSmsc({ port: 0, systemId: 'telmark', password: 'secret', logFile: join(dir, 'smsc.log') });
    await smsc.start();
    const controller = new AbortController();
    try {
      const id = await runningCampaign(warehouse, 'pause while sending');
      const queued = (await statusCounts(warehouse, id)).pending ?? 0;
      const tps = 40;
      // One page holds every message: without the sender's check the whole page would still go out.
      const sending = runSender({
        warehouse,
        config: { ...deps.channels, sms: { ...deps.channels.sms, registeredDelivery: false } },
        clock: deps.clock,
        smsc: parseSmppUrl(`smpp://telmark:secret@127.0.0.1:${smsc.port}`),
        tps,
        window: 4,
        idleMs: 50,
        signal: controller.signal,
      });
      const waitFor = async (done: () => Promise<boolean> | boolean, what: string) => {
        const until = Date.now() + 30_000;
        while (!(await done())) {
          assert.ok(Date.now() < until, `timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await waitFor(() => smsc.stats.accepted >= 20, 'the first messages');
      const { messages: held } = await pauseCampaign(warehouse, id, maker, deps);
      const atPause = smsc.stats.accepted;
      await new Promise((r) => setTimeout(r, 3000));
      const afterPause = smsc.stats.accepted - atPause;
      // Within one held-check (500 ms) at 40/s plus a window: about 25 more; unchecked, the page would
      // keep going at 40/s (120 in these 3 s). The bound leaves room for a slow, shared machine.
      assert.ok(afterPause <= 50, `${afterPause} sent after the pause`);
      assert.ok(held > 100, `held ${held}`);
      await resumeCampaign(warehouse, id, maker, deps);
      await waitFor(() => smsc.stats.accepted >= queued, 'every message after resume');
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      await sending;
      const log = readFileSync(join(dir, 'smsc.log'), 'utf8').split('\n').filter(Boolean);
      assert.equal(log.length, queued);
      assert.equal(new Set(log.map((l) => (JSON.parse(l) as { to: string }).to)).size, queued);
      const counts = await statusCounts(warehouse, id);
      assert.deepEqual(counts, { submitted: queued });
    } finally {
      controller.abort();
      await smsc.stop();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
