// The demo's campaigns (`telmark demo`, `npm start`): on a warehouse without campaigns, the example
// planted offer runs the whole loop once (pilot, delivery through a local SMSC and the sender, the
// subscribers' answers from simulate-responses, evaluation with rules, rollout to the rules, close
// into the knowledge base) and the no-effect offer is left running in its pilot. The campaigns run on
// the days after the generated data (the Clock is fixed there), as a real campaign follows the data
// it was planned on; later starts find them and do nothing. Their answer files hold orders only, so
// those days are incomplete (metrics/complete-days.ts) and stay out of the default period.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rightsOf } from '../../access/index.ts';
import { type ChannelsConfig, LocalSmsc, parseSmppUrl, runSender } from '../../channels/index.ts';
import { fixedClock } from '../../shared/clock.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { loadCompleteDays } from '../../metrics/index.ts';
import { loadDirectory } from '../../warehouse/load/index.ts';
import { approveCampaign, cancelCampaign, createCampaign } from '../campaign-lifecycle.ts';
import { evaluateCampaign } from '../evaluation/evaluate-campaign.ts';
import { closeCampaign } from '../knowledge/close-campaign.ts';
import { parseCampaignYaml } from '../parse-campaign-file.ts';
import { startPilot, startRollout } from '../rounds/start-round.ts';
import { simulateResponses } from '../simulation/index.ts';

const SETUP_NOTE = 'demo set-up';
const examples = fileURLToPath(new URL('../../../examples/campaigns/', import.meta.url));

export interface DemoCampaigns {
  finished: string;
  running: string;
}

export async function runDemoCampaigns(
  warehouse: Warehouse,
  options: {
    demoDir: string;
    channels: ChannelsConfig;
    note?: (text: string) => void;
    /** Ctrl+C while they run (`npm start` runs them after serving): stop at the next step, cancel what was made. */
    signal?: AbortSignal;
  },
): Promise<DemoCampaigns | null> {
  // Campaigns cancelled because a set-up was interrupted or failed do not count: the next start makes them again.
  const kept = await warehouse.scalar(
    `SELECT count(*) FROM campaigns c WHERE NOT EXISTS (
       SELECT 1 FROM campaign_changes x
       WHERE x.campaign_id = c.campaign_id AND x.action = 'cancel' AND x.note LIKE ?)`,
    [`${SETUP_NOTE}%`],
  );
  if (kept > 0) return null;
  // After the last complete day, not after the last loaded one: an interrupted run's answer files
  // (orders only) must not push the next run's days further out.
  const { lastCompleteDay } = await loadCompleteDays(warehouse);
  if (!lastCompleteDay) return null;
  const step = () => options.signal?.throwIfAborted();
  const offset = options.channels.utcOffsetMinutes;
  const at = (daysAfter: number, time: string) => {
    const local = Date.parse(`${lastCompleteDay}T${time}Z`) + daysAfter * 86_400_000;
    return local - offset * 60_000;
  };
  const clock = fixedClock(at(1, '10:00:00'));
  const channels = structuredClone(options.channels);
  channels.sms.receiptWaitSec = 10;
  const deps = { clock, channels };
  const maker = { name: 'demo-marketer', address: 'demo', rights: rightsOf(['campaign_manager']) };
  const checker = { name: 'demo-approver', address: 'demo', rights: rightsOf(['approver']) };
  const responses = join(options.demoDir, 'campaign-responses');
  const smsc = new LocalSmsc({ port: 0, systemId: 'telmark', password: 'demo', receiptDelayMs: 5 });
  await smsc.start();
  try {
    const deliver = () =>
      runSender({
        warehouse,
        config: channels,
        clock,
        smsc: parseSmppUrl(`smpp://telmark:demo@127.0.0.1:${smsc.port}`),
        tps: 5000,
        window: 50,
        once: true,
      });
    const respond = async () => {
      await simulateResponses(warehouse, responses);
      await loadDirectory(warehouse, responses, { clock });
    };
    const file = (name: string) => parseCampaignYaml(readFileSync(join(examples, name), 'utf8'), name);

    step();
    const planted = await createCampaign(warehouse, file('planted-offer.yaml'), maker, deps);
    await approveCampaign(warehouse, planted.id, checker, deps);
    await startPilot(warehouse, planted.id, maker, deps);
    clock.set(at(1, '10:05:00'));
    step();
    await deliver();
    step();
    await respond();
    step();
    const pilot = await evaluateCampaign(warehouse, planted.id, maker, deps);
    options.note?.(
      `demo campaign ${planted.id}: pilot uplift ${pilot.uplift?.toFixed(2)} pp, ${pilot.rules.length} rule(s) found`,
    );
    clock.set(at(9, '10:00:00'));
    step();
    await startRollout(warehouse, planted.id, maker, deps);
    clock.set(at(9, '10:05:00'));
    step();
    await deliver();
    step();
    await respond();
    step();
    const rollout = await evaluateCampaign(warehouse, planted.id, maker, deps);
    // The lessons say what this run found: the rules when the pilot had the power to find them.
    const found = (pilot.rules as { text?: { zh: string; en: string } }[])
      .map((r) => r.text)
      .filter((t) => t !== undefined);
    const up = rollout.uplift?.toFixed(1) ?? '–';
    await closeCampaign(warehouse, planted.id, maker, deps, {
      lessons:
        found.length > 0
          ? `有效人群：${found.map((t) => t.zh).join('；')}；推广到规则人群后提升 ${up} 个百分点。Works for: ${found.map((t) => t.en).join('; ')}; rollout uplift ${up} pp.`
          : `试点未发现显著的细分人群（样本量不足），全量推广提升 ${up} 个百分点。The pilot found no sub-group (too few subscribers); rollout uplift ${up} pp.`,
    });
    options.note?.(
      `demo campaign ${planted.id}: rollout uplift ${rollout.uplift?.toFixed(2)} pp, closed into the knowledge base`,
    );

    // Left running: its pilot is out, its answers are not in yet.
    step();
    const running = await createCampaign(warehouse, file('no-effect.yaml'), maker, deps);
    await approveCampaign(warehouse, running.id, checker, deps);
    clock.set(at(17, '10:00:00'));
    await startPilot(warehouse, running.id, maker, deps);
    clock.set(at(17, '10:05:00'));
    step();
    await deliver();
    options.note?.(`demo campaign ${running.id}: pilot running`);
    return { finished: planted.id, running: running.id };
  } catch (error) {
    // A half-run demo campaign would be skipped on the next start: cancel what was made, so it is plain.
    for (const c of await warehouse.all<{ campaign_id: string }>(
      "SELECT campaign_id FROM campaigns WHERE status NOT IN ('closed', 'cancelled')",
    ))
      await cancelCampaign(
        warehouse,
        c.campaign_id,
        maker,
        deps,
        options.signal?.aborted ? `${SETUP_NOTE} interrupted` : `${SETUP_NOTE} failed`,
      ).catch(() => undefined);
    throw error;
  } finally {
    await smsc.stop();
  }
}
