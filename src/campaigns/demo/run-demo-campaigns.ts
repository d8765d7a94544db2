// The demo's campaigns (`telmark demo`, `npm start`): on a warehouse without campaigns, the example
// planted offer runs the whole loop once (pilot, delivery through a local SMSC and the sender, the
// subscribers' answers from simulate-responses, evaluation with rules, rollout to the rules, close
// into the knowledge base) and the no-effect offer is left running in its pilot. The campaigns run on
// the days after the generated data (the Clock is fixed there), as a real campaign follows the data
// it was planned on; later starts find them and do nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rightsOf } from '../../access/index.ts';
import { type ChannelsConfig, LocalSmsc, parseSmppUrl, runSender } from '../../channels/index.ts';
import { fixedClock } from '../../shared/clock.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { loadDirectory } from '../../warehouse/load/index.ts';
import { approveCampaign, cancelCampaign, createCampaign } from '../campaign-lifecycle.ts';
import { evaluateCampaign } from '../evaluation/evaluate-campaign.ts';
import { closeCampaign } from '../knowledge/close-campaign.ts';
import { parseCampaignYaml } from '../parse-campaign-file.ts';
import { startPilot, startRollout } from '../rounds/start-round.ts';
import { simulateResponses } from '../simulation/index.ts';

const examples = fileURLToPath(new URL('../../../examples/campaigns/', import.meta.url));

export interface DemoCampaigns {
  finished: string;
  running: string;
}

export async function runDemoCampaigns(
  warehouse: Warehouse,
  options: { demoDir: string; channels: ChannelsConfig; note?: (text: string) => void },
): Promise<DemoCampaigns | null> {
  if ((await warehouse.scalar('SELECT count(*) FROM campaigns')) > 0) return null;
  const lastDay = await warehouse.one<{ day: string }>(
    "SELECT strftime(max(day), '%Y-%m-%d') AS day FROM agg_area_day",
  );
  if (!lastDay?.day) return null;
  const offset = options.channels.utcOffsetMinutes;
  const at = (daysAfter: number, time: string) => {
    const local = Date.parse(`${lastDay.day}T${time}Z`) + daysAfter * 86_400_000;
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

    const planted = await createCampaign(warehouse, file('planted-offer.yaml'), maker, deps);
    await approveCampaign(warehouse, planted.id, checker, deps);
    await startPilot(warehouse, planted.id, maker, deps);
    clock.set(at(1, '10:05:00'));
    await deliver();
    await respond();
    const pilot = await evaluateCampaign(warehouse, planted.id, maker, deps);
    options.note?.(
      `demo campaign ${planted.id}: pilot uplift ${pilot.uplift?.toFixed(2)} pp, ${pilot.rules.length} rule(s) found`,
    );
    clock.set(at(9, '10:00:00'));
    await startRollout(warehouse, planted.id, maker, deps);
    clock.set(at(9, '10:05:00'));
    await deliver();
    await respond();
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
    const running = await createCampaign(warehouse, file('no-effect.yaml'), maker, deps);
    await approveCampaign(warehouse, running.id, checker, deps);
    clock.set(at(17, '10:00:00'));
    await startPilot(warehouse, running.id, maker, deps);
    clock.set(at(17, '10:05:00'));
    await deliver();
    options.note?.(`demo campaign ${running.id}: pilot running`);
    return { finished: planted.id, running: running.id };
  } catch (error) {
    // A half-run demo campaign would be skipped on the next start: cancel what was made, so it is plain.
    for (const c of await warehouse.all<{ campaign_id: string }>(
      "SELECT campaign_id FROM campaigns WHERE status NOT IN ('closed', 'cancelled')",
    ))
      await cancelCampaign(warehouse, c.campaign_id, maker, deps, 'demo set-up failed').catch(() => undefined);
    throw error;
  } finally {
    await smsc.stop();
  }
}
