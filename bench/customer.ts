// `npm run bench -- customer [--subscribers 1000000] [--seconds 10] [--rebuild] [--threads N] [--readers N]
//   [--cpu-prof FILE]`
// The call-centre profile API, GET /api/customers/{msisdn}, under autocannon (8 connections, a random
// existing number on every request) on a warehouse of N subscribers, signed in as an agent with an API
// token: each request resolves the token, reads the profile and writes its audit row. Baseline in the
// same run: GET /api/health (a trivial route, same token, same load). autocannon runs in a process of its
// own (bench/support/http-load-process.mjs), as a real server's clients do. Each load also prints how its
// CPU time splits between the main thread and the others (DuckDB's work); --cpu-prof writes a V8 CPU
// profile of the server's main thread during the profile load and prints where its time went.
//
// Generating and loading a million-subscriber operator through the feeds takes far too long for a
// benchmark run, so only the tables the profile reads are synthesised in DuckDB at that size, in the
// shapes the loader and the models write: customer_facts (one row a subscriber, its JSON lists of the
// sizes the demo shows), the latest churn scores (1 a subscriber) and cross-sell offers (3 a
// subscriber) with their rules, a campaign outbox, replies, opt-outs, the do-not-disturb list and
// anomalies. The file is kept for the next run.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAccount, createApiToken } from '../src/access/index.ts';
import { buildServer } from '../src/api/server.ts';
import { ProfileReferenceCache, readCustomerProfile } from '../src/customers/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import { Warehouse } from '../src/warehouse/index.ts';
import { reportFigure, timeMs } from './report.ts';
import { type CpuProfile, summariseCpuProfile } from './support/cpu-profile-summary.ts';
import { threadCpuMs, threadCpuSince } from './support/thread-cpu.ts';

const TARGET_MS = 50;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '10' },
      rebuild: { type: 'boolean', default: false },
      threads: { type: 'string', default: '0' },
      // The API's reader connections (the server's default when absent).
      readers: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const subscribers = Number(values.subscribers);
  const seconds = Number(values.seconds);
  const path = join(tmpdir(), `telmark-bench-customer-${subscribers}.duckdb`);
  if (values.rebuild || !existsSync(path)) {
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const warehouse = await Warehouse.open(path);
    try {
      const ms = await timeMs(() => synthesise(warehouse, subscribers));
      console.log(`synthesised the profile's tables for ${subscribers} subscribers in ${Math.round(ms)} ms: ${path}`);
    } finally {
      warehouse.close();
    }
  }
  // --threads: DuckDB's worker threads for the server (0: DuckDB decides, as `telmark serve` by default).
  const warehouse = await Warehouse.open(path, { threads: Number(values.threads) });
  try {
    const sizes = await warehouse.all(
      `SELECT 'customer_facts' AS t, count(*) AS n FROM customer_facts
       UNION ALL SELECT 'mining_churn_scores', count(*) FROM mining_churn_scores
       UNION ALL SELECT 'mining_offers', count(*) FROM mining_offers
       UNION ALL SELECT 'channel_outbox', count(*) FROM channel_outbox
       UNION ALL SELECT 'channel_responses', count(*) FROM channel_responses`,
    );
    console.log(`tables: ${sizes.map((s) => `${s.t} ${s.n}`).join(', ')}`);
    const number = (i: number) => `138${String(i).padStart(8, '0')}`;
    const random = () => number(Math.floor(Math.random() * subscribers));

    // In-process, one request at a time: what the profile itself costs, as the API reads it (the shared
    // references kept for their lifetime) and, beside it, with every read made for the one profile.
    const references = new ProfileReferenceCache({ lifetimeMs: 2000 });
    const served: number[] = [];
    const uncached: number[] = [];
    for (let i = 0; i < 200; i++) {
      const msisdn = random();
      served.push(await timeMs(() => readCustomerProfile(warehouse, msisdn, { clock: systemClock, references })));
      uncached.push(await timeMs(() => readCustomerProfile(warehouse, msisdn, { clock: systemClock })));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    reportFigure({
      name: 'customer.profile_read_p50_ms',
      value: median(served),
      unit: 'ms',
      baseline: 'the same profiles with every shared read made per profile',
      baselineValue: median(uncached),
      ratio: median(uncached) / median(served),
    });

    const username = `bench-agent-${Date.now()}`;
    await createAccount(warehouse, systemClock, { username, password: 'bench-agent-password', roles: ['agent'] });
    const { token } = await createApiToken(warehouse, systemClock, { username, roles: ['agent'] });
    const app = await buildServer({
      warehouse,
      webRoot: null,
      ...(values.readers === undefined ? {} : { readers: Number(values.readers) }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const health = await load(port, token, seconds, '/api/health', subscribers);
      const auditBefore = await warehouse.scalar(
        `SELECT count(*) FROM audit_log WHERE action = 'GET /api/customers/:msisdn'`,
      );
      const profile = await profiled(
        values['cpu-prof'],
        () => load(port, token, seconds, '/api/customers/{msisdn}', subscribers),
        (result) => result.requests,
      );
      const audited =
        (await warehouse.scalar(`SELECT count(*) FROM audit_log WHERE action = 'GET /api/customers/:msisdn'`)) -
        auditBefore;
      console.log(
        `profile: ${profile.requests} requests (${profile.non2xx} not 2xx), ${audited} audit rows; health: ${health.requests} requests`,
      );
      for (const [name, result] of [
        ['profile', profile],
        ['health', health],
      ] as const) {
        const split = [...result.threadMsPerRequest].map(([thread, ms]) => `${thread} ${ms.toFixed(2)} ms`);
        if (split.length > 0) console.log(`CPU per ${name} request by thread: ${split.join(', ')}`);
      }
      // The machine is shared: its load says how far the latencies above can be trusted.
      const machineLoad = loadavg().map((x) => x.toFixed(1));
      console.log(`load average (1, 5, 15 min) at the end: ${machineLoad.join(', ')}`);
      reportFigure({
        name: 'customer.api_profile_p95_ms',
        value: profile.p95,
        unit: 'ms',
        baseline: 'GET /api/health under the same load',
        baselineValue: health.p95,
        ratio: health.p95 / profile.p95,
        target: `< ${TARGET_MS} ms`,
      });
      // The server process's CPU time (all threads: DuckDB's and the server's; autocannon runs in its own) per request: what a
      // request costs, far less moved by the other processes on the machine than the latencies are.
      reportFigure({
        name: 'customer.api_profile_cpu_ms_per_request',
        value: profile.cpuMsPerRequest,
        unit: 'ms',
        baseline: 'GET /api/health under the same load',
        baselineValue: health.cpuMsPerRequest,
        ratio: health.cpuMsPerRequest / profile.cpuMsPerRequest,
      });
      reportFigure({
        name: 'customer.api_profile_requests_per_s',
        value: profile.perSecond,
        unit: 'req/s',
        baseline: 'GET /api/health under the same load',
        baselineValue: health.perSecond,
        ratio: profile.perSecond / health.perSecond,
      });
    } finally {
      await app.close();
    }
  } finally {
    warehouse.close();
  }
}

async function load(
  port: number,
  token: string,
  seconds: number,
  path: string,
  subscribers: number,
): Promise<{
  p95: number;
  perSecond: number;
  requests: number;
  non2xx: number;
  cpuMsPerRequest: number;
  threadMsPerRequest: Map<string, number>;
}> {
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpuMs();
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('./support/http-load-process.mjs', import.meta.url)),
      `http://127.0.0.1:${port}`,
      token,
      String(seconds),
      '8',
      path,
      String(subscribers),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the load process ended with ${code}: ${output}`);
  const result = JSON.parse(output) as { p95: number; perSecond: number; requests: number; non2xx: number };
  const cpu = process.cpuUsage(cpuBefore);
  const perRequest = (ms: number) => ms / Math.max(1, result.requests);
  const threads = threadCpuSince(threadsBefore);
  // Empty where /proc is missing (not Linux): then no split is printed.
  const threadMsPerRequest = new Map<string, number>(
    threads.size === 0
      ? []
      : [
          ['main thread', perRequest(threads.get('main') ?? 0)],
          [
            'other threads',
            perRequest([...threads].reduce((sum, [name, ms]) => (name === 'main' ? sum : sum + ms), 0)),
          ],
        ],
  );
  return { ...result, cpuMsPerRequest: perRequest((cpu.user + cpu.system) / 1000), threadMsPerRequest };
}

/** Runs `work`; with a file, under V8's CPU profiler (main thread), and prints where the time went. */
async function profiled<T>(
  file: string | undefined,
  work: () => Promise<T>,
  requestsOf: (result: T) => number,
): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(profile));
    const groups = summariseCpuProfile(profile);
    const requests = Math.max(1, requestsOf(result));
    const total = groups.reduce((sum, g) => sum + g.ms, 0);
    console.log(`main thread CPU profile (${file}), ${Math.round(total)} ms sampled, ms per request by part:`);
    for (const g of groups) {
      const top = g.top.map((t) => `${t.frame} ${(t.ms / requests).toFixed(3)}`).join('; ');
      console.log(`  ${g.group}: ${(g.ms / requests).toFixed(3)} ms: ${top}`);
    }
    return result;
  } finally {
    session.disconnect();
  }
}

/** The tables the profile reads, at `subscribers` rows a subscriber-keyed table, hash-based but plausible. */
async function synthesise(warehouse: Warehouse, subscribers: number): Promise<void> {
  const r = (seed: string, expr = 'i') => `CAST(hash(${expr}, '${seed}') % 1000 AS BIGINT)`;
  const services = ['crbt', 'news', '12580', 'im', 'music', 'game', 'video', 'portal'];
  const pick = (seed: string) => `['${services.join("','")}'][1 + ${r(seed)} % 8]`;
  const statements = [
    `INSERT INTO services (service_id, name, category, monthly_fee, trial_months, file_id) VALUES
       ('crbt','彩铃','crbt',5,0,0), ('news','手机报','news',3,1,0), ('12580','12580生活播报','directory',3,0,0),
       ('im','飞信','im',0,0,0), ('music','无线音乐俱乐部','music',6,2,0), ('game','手机游戏','game',8,0,0),
       ('video','手机视频','video',10,1,0), ('portal','移动梦网','portal',2,0,0)`,
    `INSERT INTO customer_facts (msisdn, as_of, brand, region, county, plan_id, plan_name, plan_fee, activated_on,
       birth_year, gender, status, status_changed_on, tenure_months, tenure_band, age_band, arpu_band, bills, services,
       usage, active_days_30d, sms_out_30d, ivr_calls_30d, wap_visits_30d, vas_events_30d, events_last_7d,
       events_prior_7d, complaint_calls_30d, p2p_sms_30d, offnet_sms_30d, cancels_30d)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), DATE '2026-03-30',
       ['easyown','easyown','easyown','gotone','gotone','mzone'][1 + ${r('brand')} % 6], '河源',
       ['源城','东源','和平','龙川','紫金','连平'][1 + ${r('county')} % 6], 'EO10', '神州行10', 10,
       DATE '2020-01-01' + CAST(${r('act')} * 2 AS INTEGER), 1950 + CAST(${r('birth')} % 55 AS INTEGER), 'M',
       CASE WHEN ${r('status')} < 20 THEN 'closed' ELSE 'active' END, DATE '2025-01-01', 40, '2-5y', '35-44', '30-60',
       '[' || string_agg('{"month":"2025-' || lpad(CAST(m AS VARCHAR), 2, '0') || '","totalYuan":' || (30 + m) ||
         ',"voiceYuan":20.0,"smsYuan":2.0,"dataYuan":5.0,"vasYuan":' || (3 + m) || '}', ',') || ']',
       '[{"serviceId":"' || ${pick('s1')} || '","startedOn":"2025-07-04","endedOn":null,"channel":"sms","cancelChannel":null,"trial":false,"trialEndsOn":null,"trialUses":null,"fromOpening":true},'
         || '{"serviceId":"' || ${pick('s2')} || '","startedOn":"2026-03-02","endedOn":"2026-03-20","channel":"campaign","cancelChannel":"sms","trial":true,"trialEndsOn":"2026-04-02","trialUses":2,"fromOpening":false}]',
       '[{"serviceId":"' || ${pick('s1')} || '","events":12,"daysUsed":7,"pushed":0,"smsMo":0,"wapVisits":12,"ivrCalls":0,"crbtActions":0}]',
       ${r('days')} % 30, ${r('sms')} % 40, ${r('ivr')} % 5, ${r('wap')} % 60, ${r('vas')} % 30, ${r('l7')} % 20,
       ${r('p7')} % 20, CASE WHEN ${r('cmp')} < 60 THEN 1 + ${r('cmp2')} % 4 ELSE 0 END, 20, ${r('off')} % 20, ${r('can')} % 2
     FROM range(${subscribers}) t(i), range(1, 7) m(m) GROUP BY i ORDER BY i`,
    `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json) VALUES
       ('churn-bench', 'churn', 'gbdt', TIMESTAMP '2026-03-31 01:00:00', ${subscribers}, 0.8, 0.7, 'bench', '{}'),
       ('xsell-bench', 'cross-sell', 'gbdt+rules', TIMESTAMP '2026-03-31 01:00:00', ${subscribers}, 0.7, NULL, 'bench', '{}')`,
    `INSERT INTO mining_churn_scores (msisdn, score, model_version)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), ${r('churn')} / 2000.0, 'churn-bench' FROM range(${subscribers}) t(i)`,
    `INSERT INTO mining_offers (msisdn, offer_rank, service_id, score, propensity, rule_confidence, reason, model_version)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), k, ['${services.join("','")}'][1 + (${r('offer')} + k) % 8],
       0.5 / k, 0.4 / k, 0.3, 'bench', 'xsell-bench'
     FROM range(${subscribers}) t(i), range(1, 4) o(k)`,
    `INSERT INTO mining_rules (lhs, rhs, support, confidence, lift, count, model_version)
     SELECT a.s, b.s, 0.01, 0.2 + (hash(a.s, b.s) % 50) / 100.0, 1.5, 100, 'xsell-bench'
     FROM (SELECT unnest(['${services.join("','")}']) AS s) a, (SELECT unnest(['${services.join("','")}']) AS s) b
     WHERE a.s <> b.s`,
    // A campaign message to one subscriber in five, a reply from one in fifty.
    `INSERT INTO channel_outbox (message_id, source, source_ref, kind, channel, recipient, subscriber, service_id, text,
       text_hash, status, queued_at, not_before, attempts, updated_at)
     SELECT 'campaign-b-' || i, 'campaign', 'bench', 'marketing', 'sms', m, m, 'crbt', '彩铃优惠', 'h', 'delivered',
       TIMESTAMP '2026-03-29 10:00:00', TIMESTAMP '2026-03-29 10:00:00', 1, TIMESTAMP '2026-03-29 10:00:05'
     FROM (SELECT i, '138' || lpad(CAST(i AS VARCHAR), 8, '0') AS m FROM range(0, ${subscribers}, 5) t(i))`,
    `INSERT INTO channel_responses (msisdn, text, received_at, message_id, opt_out)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), 'TD', TIMESTAMP '2026-03-29 11:00:00', 'campaign-b-' || i, TRUE
     FROM range(0, ${subscribers}, 50) t(i)`,
    `INSERT INTO channel_opt_outs (msisdn, since, via)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), TIMESTAMP '2026-03-29 11:00:00', 'sms' FROM range(0, ${subscribers}, 50) t(i)`,
    `INSERT INTO channel_dnd (msisdn, since, note)
     SELECT '138' || lpad(CAST(i AS VARCHAR), 8, '0'), TIMESTAMP '2026-02-01 00:00:00', NULL FROM range(7, ${subscribers}, 97) t(i)`,
    `INSERT INTO anomalies (series, kpi, dimensions, day, kind, observed, expected, band_low, band_high, score, p_value,
       severity, explanation_zh, explanation_en, detected_at)
     SELECT 'orders|county=' || c, 'orders', '{"county":"' || c || '"}', DATE '2026-03-28', 'spike', 100, 50, 40, 60, 5, 0.001,
       'warning', c || '订购量异常升高', 'orders spiked in ' || c, TIMESTAMP '2026-03-29 01:00:00'
     FROM (SELECT unnest(['源城','龙川']) AS c)`,
  ];
  for (const sql of statements) await warehouse.run(sql);
}
