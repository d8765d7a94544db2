// Campaign benchmarks (shared with the audience builder: each adds its own function and a line in run).
// pilotAssignmentAndQueueing: a pilot on a whole base drawn, split into contacted and control, recorded
// and queued through the outbox with the full contact policy, for about 100,000 contacted messages.
// Baseline: queueMessages alone with the same number of messages on an empty outbox (what any source
// pays to queue), so the ratio shows what the draw and the recorded assignment add.
// `npm run bench -- campaigns [--messages N]` (default 100,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rightsOf } from '../src/access/index.ts';
import { approveCampaign, createCampaign, startPilot, validateContent } from '../src/campaigns/index.ts';
import { queueMessages } from '../src/channels/index.ts';
import { defaultConfig } from '../src/config/config.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { Warehouse } from '../src/warehouse/index.ts';
import { refreshSubscriberFacts } from '../src/warehouse/load/index.ts';
import { reportFigure } from './report.ts';

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

const msisdn = (i: number) => `135${String(i).padStart(8, '0')}`;

async function pilotAssignmentAndQueueing(args: string[]): Promise<void> {
  const messages = option(args, 'messages', 100_000);
  // Global control (2 %) and the pilot's control (10 %) leave about 88 % of the base contacted.
  const base = Math.ceil(messages / 0.882);
  const dir = mkdtempSync(join(tmpdir(), 'telmark-bench-campaigns-'));
  const clock = fixedClock('2026-04-01T10:00:00+08:00');
  const channels = structuredClone(defaultConfig.channels);
  const deps = { clock, channels };
  try {
    const warehouse = await Warehouse.open(join(dir, 'campaign.duckdb'));
    try {
      await warehouse.run(
        `INSERT INTO subscribers (msisdn, brand, region, county, plan_id, activated_on, birth_year, gender, status,
           status_changed_on, file_id)
         SELECT '135' || lpad(CAST(i AS VARCHAR), 8, '0'), ['gotone', 'easyown', 'mzone'][i % 3 + 1], '河源',
           ['源城', '东源', '和平', '龙川', '紫金', '连平'][i % 6 + 1], 'P1', DATE '2020-01-01', 1960 + i % 45, 'M',
           'active', DATE '2020-01-01', 1
         FROM range(?) t(i)`,
        [base],
      );
      await refreshSubscriberFacts(warehouse);
      const content = validateContent({
        name: 'bench',
        service: 'music',
        message: { text: '【河源移动】音乐包首月免费，回复1开通' },
        audience: { all: [] },
        schedule: { start: '2026-04-01' },
        pilot: { share: 1, controlShare: 0.1 },
      });
      const maker = { name: 'maker', address: 'bench', rights: rightsOf(['campaign_manager']) };
      const checker = { name: 'checker', address: 'bench', rights: rightsOf(['approver']) };
      const { id } = await createCampaign(warehouse, content, maker, deps);
      await approveCampaign(warehouse, id, checker, deps);
      const started = performance.now();
      const round = await startPilot(warehouse, id, maker, deps);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `pilot on ${base} subscribers: ${round.contacted} contacted, ${round.control} control, ${round.queued} queued in ${seconds.toFixed(2)} s`,
      );

      const bare = await Warehouse.open(join(dir, 'bare.duckdb'));
      let bareSeconds = 0;
      try {
        const list = Array.from({ length: round.contacted }, (_, i) => msisdn(i));
        const bareStarted = performance.now();
        await queueMessages(
          bare,
          {
            source: 'campaign',
            sourceRef: 'bare',
            messages: list.map((m) => ({ id: `bare|1|${m}`, recipient: m, subscriber: m, text: content.message.text })),
          },
          { config: channels, clock },
        );
        bareSeconds = (performance.now() - bareStarted) / 1000;
      } finally {
        bare.close();
      }
      const rate = round.contacted / seconds;
      const bareRate = round.contacted / bareSeconds;
      reportFigure({
        name: 'campaigns.pilot_assign_and_queue_msgs_per_s',
        value: rate,
        unit: 'messages/s',
        baseline: 'queueMessages alone',
        baselineValue: bareRate,
        ratio: rate / bareRate,
      });
      reportFigure({ name: 'campaigns.pilot_100k_seconds', value: (seconds * 100_000) / round.contacted, unit: 's' });
    } finally {
      warehouse.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  await pilotAssignmentAndQueueing(args);
}
