// `npm run bench -- campaigns [--subscribers 1000000] [--rebuild] [--runs 5]`
// Audience previews (size with the county and brand breakdown) on a warehouse of N subscribers, for a
// few typical audiences, against a baseline measured in the same run on the same file: a plain
// `SELECT count(*) FROM subscribers`. Also the time to refresh subscriber_facts (paid once per load).
// The warehouse is synthesised in DuckDB straight into the shapes the loader produces (subscribers,
// bills, subscriptions, a week of per-subscriber activity, a day of signalling, churn scores) and kept.
//
// Campaign benchmarks (shared with the audience builder: each adds its own function and a line in run).
// pilotAssignmentAndQueueing: a pilot on a whole base drawn, split into contacted and control, recorded
// and queued through the outbox with the full contact policy, for about 100,000 contacted messages.
// Baseline: queueMessages alone with the same number of messages on an empty outbox (what any source
// pays to queue), so the ratio shows what the draw and the recorded assignment add.
// `npm run bench -- campaigns [--messages N]` (default 100,000).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rightsOf } from '../src/access/index.ts';
import { previewAudience } from '../src/campaigns/audiences/index.ts';
import { approveCampaign, createCampaign, startPilot, validateContent } from '../src/campaigns/index.ts';
import { queueMessages } from '../src/channels/index.ts';
import { defaultConfig } from '../src/config/config.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { Warehouse } from '../src/warehouse/index.ts';
import { refreshSubscriberFacts } from '../src/warehouse/load/index.ts';
import { reportFigure, timeMs } from './report.ts';

const TARGET_MS = 1000;

const audiences: [string, unknown][] = [
  ['whole_base', { all: [] }],
  [
    'young_mzone',
    {
      all: [
        { attribute: 'brand', in: ['mzone'] },
        { attribute: 'age', between: [null, 25] },
      ],
    },
  ],
  [
    'county_arpu_holds',
    {
      all: [
        { attribute: 'county', in: ['源城', '东源'] },
        { attribute: 'arpu', between: [50, null] },
        { holds: 'music' },
      ],
    },
  ],
  [
    'nested_rule_usage_not_area',
    {
      all: [
        { any: [{ rule: { lhs: ['crbt'], rhs: ['news'] } }, { usage: 'sms_out', withinDays: 7, between: [10, null] }] },
        { not: { attribute: 'area_type', in: ['campus'] } },
      ],
    },
  ],
  ['top_churn_lacks', { all: [{ score: 'churn', modelVersion: 'bench-v1', top: 100000 }, { lacks: 'music' }] }],
];

async function audiencePreviews(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: false,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      rebuild: { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
    },
  });
  const subscribers = Number(values.subscribers);
  const runs = Number(values.runs);
  const path = join(tmpdir(), `telmark-bench-campaigns-${subscribers}.duckdb`);
  if (values.rebuild || !existsSync(path)) {
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const warehouse = await Warehouse.open(path);
    try {
      const ms = await timeMs(() => synthesise(warehouse, subscribers));
      console.log(`synthesised ${subscribers} subscribers in ${Math.round(ms)} ms: ${path}`);
    } finally {
      warehouse.close();
    }
  }
  const warehouse = await Warehouse.open(path);
  try {
    const refreshMs = await timeMs(() => refreshSubscriberFacts(warehouse));
    const sizes = await warehouse.all(
      `SELECT 'subscribers' AS t, count(*) AS n FROM subscribers UNION ALL SELECT 'subscriptions', count(*) FROM subscriptions
       UNION ALL SELECT 'agg_subscriber_day', count(*) FROM agg_subscriber_day UNION ALL SELECT 'signalling', count(*) FROM signalling`,
    );
    console.log(
      `tables: ${sizes.map((s) => `${s.t} ${s.n}`).join(', ')}; subscriber_facts refreshed in ${Math.round(refreshMs)} ms`,
    );
    reportFigure({ name: 'campaigns.subscriber_facts_refresh_ms', value: refreshMs, unit: 'ms' });

    const baseline = await medianMs(runs, () => warehouse.scalar('SELECT count(*) FROM subscribers'));
    for (const [name, definition] of audiences) {
      let size = 0;
      const ms = await medianMs(runs, async () => {
        size = (await previewAudience(warehouse, definition)).size;
      });
      console.log(`${name}: ${size} subscribers`);
      reportFigure({
        name: `campaigns.audience_preview_ms.${name}`,
        value: ms,
        unit: 'ms',
        baseline: 'SELECT count(*) FROM subscribers',
        baselineValue: baseline,
        ratio: baseline / ms,
        target: `< ${TARGET_MS} ms`,
      });
    }
  } finally {
    warehouse.close();
  }
}

/** Median of `runs` timed calls after one warm-up call. */
async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(work));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A deterministic operator: every value drawn from hash(i, salt), so a rebuild gives the same rows. */
async function synthesise(w: Warehouse, n: number): Promise<void> {
  const u = (salt: number, expr = 'i') => `(hash(${expr}, ${salt}) % 1000000) / 1000000.0`;
  await w.run(`INSERT INTO services (service_id, name, category, monthly_fee, trial_months, file_id) VALUES
    ('crbt','彩铃','crbt',5,0,1), ('news','手机报','news',3,1,1), ('music','音乐随身听','music',5,1,1), ('12580','12580','directory',0,0,1)`);
  await w.run(`INSERT INTO cells (cell_id, lac, ci, name, lat, lon, region, county, area_type, file_id)
    SELECT '1-' || i, 1, i, 'cell ' || i, 23.7, 114.7, '河源', '源城',
      ['station','campus','office','commercial','residential','scenic','rural','other'][1 + i % 8], 1 FROM range(200) t(i)`);
  await w.run(`INSERT INTO subscribers (msisdn, brand, region, county, plan_id, activated_on, birth_year, gender, status, status_changed_on, file_id)
    SELECT CAST(13800000000 + i AS VARCHAR),
      CASE WHEN ${u(1)} < 0.25 THEN 'gotone' WHEN ${u(1)} < 0.7 THEN 'easyown' ELSE 'mzone' END, '河源',
      ['源城','东源','和平','龙川','紫金','连平'][1 + CAST(floor(${u(2)} * 6) AS INTEGER)],
      'P' || (1 + i % 5), DATE '2026-03-31' - CAST(floor(${u(3)} * 3650) AS INTEGER), 1950 + CAST(floor(${u(4)} * 58) AS INTEGER),
      CASE WHEN ${u(5)} < 0.5 THEN 'M' ELSE 'F' END,
      CASE WHEN ${u(6)} < 0.03 THEN 'closed' ELSE 'active' END, DATE '2026-03-01', 1
    FROM range(${n}) t(i)`);
  await w.run(`INSERT INTO agg_area_day (day, region, county, brand, subscribers_active, users_active, activations, closures)
    VALUES ('2026-03-31','河源','源城','gotone',0,0,0,0)`);
  await w.run(`INSERT INTO billing (msisdn, month, total_fee, voice_fee, sms_fee, data_fee, vas_fee, file_id)
    SELECT CAST(13800000000 + i AS VARCHAR), DATE '2026-03-01', round(10 + ${u(7)} * 190, 2), 0, 0, 0, 0, 1
    FROM range(${n}) t(i) WHERE ${u(8)} < 0.95`);
  await w.run(`INSERT INTO subscriptions (msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, trial_ends_on, from_opening, trial_uses)
    SELECT CAST(13800000000 + i AS VARCHAR), s.service_id, DATE '2025-01-01' + CAST(floor(${u(9, 'i * 7 + s.k')} * 400) AS INTEGER),
      CASE WHEN ${u(10, 'i * 7 + s.k')} < 0.2 THEN DATE '2026-03-31' - CAST(floor(${u(11, 'i * 7 + s.k')} * 60) AS INTEGER) END,
      'sms', NULL, FALSE, NULL, FALSE, NULL
    FROM range(${n}) t(i), (VALUES ('crbt', 1, 0.5), ('news', 2, 0.3), ('music', 3, 0.2), ('12580', 4, 0.1)) s(service_id, k, share)
    WHERE ${u(12, 'i * 7 + s.k')} < s.share`);
  await w.run(`INSERT INTO agg_subscriber_day (day, msisdn, calls_out, calls_in, call_seconds, sms_out, ivr_calls, wap_visits, vas_events, signalling_events)
    SELECT DATE '2026-03-31' - CAST(d AS INTEGER), CAST(13800000000 + i AS VARCHAR), CAST(${u(13, 'i * 31 + d')} * 8 AS INTEGER), 2, 300,
      CAST(${u(14, 'i * 31 + d')} * 6 AS INTEGER), 0, 1, 1, 5
    FROM range(${n}) t(i), range(7) r(d) WHERE ${u(15, 'i * 31 + d')} < 0.5`);
  await w.run(`INSERT INTO signalling (ts, msisdn, event, cell_id, peer, duration_s, file_id)
    SELECT TIMESTAMP '2026-03-31 08:00:00' + to_seconds(e * 3600), CAST(13800000000 + i AS VARCHAR), 'location_update',
      '1-' || CAST(floor(${u(16, 'i * 3 + e')} * 200) AS INTEGER), NULL, 0, 1
    FROM range(${n}) t(i), range(2) r(e)`);
  await w.run(`INSERT INTO mining_churn_scores (msisdn, score, model_version)
    SELECT CAST(13800000000 + i AS VARCHAR), ${u(17)}, 'bench-v1' FROM range(${n}) t(i)`);
}

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
  // `--only audiences` or `--only pilot` runs one of the two.
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  if (only !== 'pilot') await audiencePreviews(args);
  if (only !== 'audiences') await pilotAssignmentAndQueueing(args);
}
