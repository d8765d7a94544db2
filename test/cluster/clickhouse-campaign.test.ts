// A campaign with the facts on a real 2-shard ClickHouse 18.16 cluster and its state in a DuckDB file,
// against the same campaign on one DuckDB file holding both: the same generated operator loaded into
// each; the same audiences (preview and list, through `telmark audience`), the same pilot (treatment
// and control members, outbox messages), and after the simulated responses are loaded into both, the
// same evaluation (responses counted per shard with the round's contacts pushed to the cluster).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rightsOf } from '../../src/access/index.ts';
import { type AnalysisRequest, runAnalysis } from '../../src/analysis/index.ts';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import { previewAudience } from '../../src/campaigns/audiences/index.ts';
import {
  approveCampaign,
  type CampaignActor,
  type CampaignDeps,
  createCampaign,
  evaluateCampaign,
  parseCampaignYaml,
  type RoundStarted,
  startPilot,
} from '../../src/campaigns/index.ts';
import { simulateResponses } from '../../src/campaigns/simulation/index.ts';
import { audienceMembers } from '../../src/campaigns/targeting/audience-members.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { readUpliftFeaturesOnClickHouse, upliftFeaturesSql } from '../../src/mining/uplift/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import {
  ClickHouseWarehouse,
  refreshClickHouseSubscriberFactsIfStale,
  roundContactsKey,
} from '../../src/warehouse/clickhouse/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { testAccess } from '../access/test-access.ts';
import { clickhouseSkip, clusterWithFeeds, telmark } from './cluster-cli.ts';

/** Audiences over every carried kind of condition. */
const definitions: unknown[] = [
  { all: [] },
  {
    all: [
      { attribute: 'brand', in: ['mzone', 'gotone'] },
      { attribute: 'age', between: [18, 40] },
    ],
  },
  {
    any: [
      { attribute: 'arpu', between: [50.5, null] },
      { attribute: 'area_type', in: ['campus'] },
    ],
  },
  { not: { attribute: 'area_type', in: ['station'] } },
  { segment: 'arpu_band', in: ['30-60', '60-100'] },
  {
    all: [
      { segment: 'age_band', in: ['<25'] },
      { segment: 'tenure_band', in: ['1-2y', '2-5y'] },
    ],
  },
  { all: [{ holds: 'crbt' }, { lacks: 'music' }] },
  { rule: { lhs: ['news'], rhs: ['video'] } },
  {
    all: [
      { attribute: 'county', in: ['源城', '龙川'] },
      { not: { holds: 'news' } },
      { attribute: 'gender', in: ['F'] },
    ],
  },
  { attribute: 'tenure_months', between: [null, 24] },
  // Usage windows: the facts' 7- and 30-day totals, and other windows from the shards' days.
  { usage: 'sms_out', withinDays: 7, between: [1, null] },
  { usage: 'call_seconds', withinDays: 30, between: [null, 300] },
  {
    all: [
      { usage: 'calls_out', withinDays: 7, between: [1, 4] },
      { usage: 'wap_visits', withinDays: 30, between: [0, 3] },
    ],
  },
  { usage: 'calls_in', withinDays: 3, between: [0, 2] },
  { usage: 'ivr_calls', withinDays: 5, between: [1, null] },
  {
    any: [
      { usage: 'vas_events', withinDays: 2, between: [2, 6] },
      { usage: 'sms_out', withinDays: 14, between: [3, null] },
    ],
  },
  // Cancellations and service use.
  {
    any: ['crbt', 'news', '12580', 'im', 'music', 'game', 'video', 'portal'].map((s) => ({
      cancelled: s,
      withinDays: 5,
    })),
  },
  { uses: 'news', withinDays: 7 },
  { all: [{ uses: 'crbt', withinDays: 3, atLeast: 2 }, { not: { cancelled: 'music', withinDays: 30 } }] },
  { all: [{ holds: 'crbt' }, { not: { uses: 'crbt', withinDays: 7 } }, { segment: 'age_band', in: ['<25', '25-34'] }] },
];

/** The days other than the facts' own an audience is also taken on (the feed: 2026-03-01 to 07). */
const otherDays = ['2026-03-04', '2026-03-01'];

// Contacted after the generated days (2026-03-01…07), so the simulated responses fall on new days.
const campaignYaml = `name: 彩铃体验 on both engines
service: crbt
offer: 首月免费
channel: sms
message:
  text: 【河源移动】彩铃首月免费，回复KT开通。退订回TD
  variants:
    - when: { attribute: brand, in: [mzone] }
      text: 【动感地带】彩铃首月免费，朋友来电听你的歌。退订回TD
audience: { all: [ { lacks: crbt }, { attribute: age, between: [null, 60] } ] }
schedule:
  start: 2026-03-08
responseWindowDays: 5
costPerMessageYuan: 0.05
pilot:
  share: 0.7
  controlShare: 0.5
rollout:
  controlShare: 0.3
`;

const maker: CampaignActor = { name: 'alice', address: 'test', rights: rightsOf(['campaign_manager']) };
const checker: CampaignActor = { name: 'bob', address: 'test', rights: rightsOf(['approver']) };

describe('a campaign on a 2-shard ClickHouse cluster (real clickhouse-server)', {
  skip: clickhouseSkip,
  timeout: 900_000,
}, () => {
  let folder = '';
  let url = '';
  let onlyFile = ''; // facts and state in one DuckDB file
  let stateFile = ''; // the state beside the cluster
  let cluster: ClickHouseWarehouse;

  const deps = (facts?: ClickHouseWarehouse): CampaignDeps => ({
    clock: fixedClock('2026-03-08T02:00:00Z'), // 10:00 local: outside quiet hours
    channels: structuredClone(defaultConfig.channels),
    ...(facts ? { facts } : {}),
  });

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-ch-campaign-'));
    onlyFile = join(folder, 'only.duckdb');
    stateFile = join(folder, 'state.duckdb');
    const started = clusterWithFeeds(
      folder,
      { subscribers: 1200, days: 7, signallingPerSub: 4 },
      { duckdb: onlyFile, stateFile },
    );
    url = started.url;
    const _feeds = started.feeds;
    cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
  });

  after(() => {
    if (folder) {
      telmark(['cluster', 'down', '--folder', join(folder, 'nodes')]);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('audiences: the same size, breakdown and members on ClickHouse as on DuckDB', async () => {
    const file = await Warehouse.open(onlyFile);
    try {
      for (const definition of definitions) {
        const expected = await previewAudience(file, definition);
        assert.ok(expected.size > 0, `${JSON.stringify(definition)} selects someone`);
        assert.deepEqual(await previewAudience(cluster, definition), expected, JSON.stringify(definition));
        assert.deepEqual(
          await audienceMembers(cluster, definition as never),
          await audienceMembers(file, definition as never),
        );
      }
    } finally {
      file.close();
    }
    // Through the command: the preview and the export (audited in the state file) from the cluster.
    const definition = JSON.stringify(definitions[6]);
    const previewsEqual = (text: string) => {
      const onFile = telmark(['--db', onlyFile, '--format', 'json', 'audience', 'preview', '--definition', text]);
      const onCluster = telmark([
        ...['--db', stateFile, '--warehouse', url, '--format', 'json'],
        ...['audience', 'preview', '--definition', text],
      ]);
      assert.equal(onCluster.code, 0, onCluster.stderr);
      assert.deepEqual(JSON.parse(onCluster.stdout), JSON.parse(onFile.stdout), text);
    };
    previewsEqual(definition);
    const exported = telmark([
      ...['--db', stateFile, '--warehouse', url, '--format', 'csv'],
      ...['audience', 'export', '--definition', definition],
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const fileExport = telmark(['--db', onlyFile, '--format', 'csv', 'audience', 'export', '--definition', definition]);
    assert.equal(exported.stdout, fileExport.stdout);
    // Model scores run on the cluster too (compared with trained models in clickhouse-mining.test.ts):
    // a version neither engine holds selects no one on both, instead of refusing.
    previewsEqual('{"score":"churn","modelVersion":"v1","top":10}');
  });

  test('the 7- and 30-day usage totals of the cluster facts equal DuckDB, subscriber by subscriber', async () => {
    // A cluster whose facts an earlier Telmark built (no totals in the Distributed table, a version
    // without the layout) is rebuilt at the next audience and its Distributed table made again.
    for (const shard of cluster.shards) {
      await cluster.runOn(shard, 'DROP TABLE subscriber_facts');
      await cluster.runOn(
        shard,
        `CREATE TABLE subscriber_facts (msisdn String, county String, brand String, as_of Date, active UInt8)
         ENGINE = Distributed(telmark, ${cluster.database}, subscriber_facts_local, cityHash64(msisdn))`,
      );
      await cluster.runOn(shard, 'DROP TABLE subscriber_facts_of');
    }
    assert.equal(await refreshClickHouseSubscriberFactsIfStale(cluster), true);
    assert.equal(await refreshClickHouseSubscriberFactsIfStale(cluster), false, 'built once');
    const totals = ['sms_out', 'calls_out', 'calls_in', 'call_seconds', 'ivr_calls', 'wap_visits', 'vas_events']
      .flatMap((m) => [`${m}_7d`, `${m}_30d`])
      .join(', ');
    const file = await Warehouse.open(onlyFile);
    try {
      const expected = await file.all<Record<string, unknown>>(
        `SELECT msisdn, ${totals.replaceAll(/(\w+_\d+d)/g, 'CAST($1 AS DOUBLE) AS $1')} FROM subscriber_facts ORDER BY msisdn`,
      );
      const actual = await cluster.all<Record<string, unknown>>(
        `SELECT msisdn, ${totals.replaceAll(/(\w+_\d+d)/g, 'toFloat64($1) AS $1')} FROM subscriber_facts ORDER BY msisdn`,
      );
      assert.equal(actual.length, expected.length);
      assert.deepEqual(actual, expected);
      // Some activity in each window, or the comparison proves little.
      for (const column of ['sms_out_7d', 'calls_out_30d', 'call_seconds_7d', 'vas_events_30d'])
        assert.ok(
          expected.some((r) => Number(r[column]) > 0),
          column,
        );
    } finally {
      file.close();
    }
  });

  test('audiences taken on another day than the facts: the same size, breakdown and members on both engines', async () => {
    const file = await Warehouse.open(onlyFile);
    try {
      for (const asOf of otherDays)
        for (const definition of definitions) {
          const expected = await previewAudience(file, definition, { asOf });
          assert.equal(expected.asOf, asOf);
          assert.deepEqual(
            await previewAudience(cluster, definition, { asOf }),
            expected,
            `${asOf} ${JSON.stringify(definition)}`,
          );
        }
    } finally {
      file.close();
    }
    // The members, through the export command.
    for (const definition of [definitions[7], definitions[12], definitions[17], definitions[19]]) {
      const args = [
        '--format',
        'csv',
        'audience',
        'export',
        '--as-of',
        '2026-03-04',
        '--definition',
        JSON.stringify(definition),
      ];
      const onFile = telmark(['--db', onlyFile, ...args]);
      assert.equal(onFile.code, 0, onFile.stderr);
      const onCluster = telmark(['--db', stateFile, '--warehouse', url, ...args]);
      assert.equal(onCluster.code, 0, onCluster.stderr);
      assert.equal(onCluster.stdout, onFile.stdout, JSON.stringify(definition));
      assert.ok(onFile.stdout.split('\n').length > 3, 'the export lists members');
    }
  });

  test('pilot, send and evaluation: the same members, messages and uplift on both engines', async () => {
    const content = parseCampaignYaml(campaignYaml, 'both-engines.yaml');
    const pilots: RoundStarted[] = [];
    const ids: string[] = [];
    for (const [path, facts] of [
      [onlyFile, undefined],
      [stateFile, cluster],
    ] as const) {
      const warehouse = await Warehouse.open(path);
      try {
        const created = await createCampaign(warehouse, content, maker, deps(facts));
        await approveCampaign(warehouse, created.id, checker, deps(facts));
        pilots.push(await startPilot(warehouse, created.id, maker, deps(facts)));
        ids.push(created.id);
        // The sender's part: every message submitted half a second in (DuckDB keeps the fraction,
        // ClickHouse whole seconds: the responses must not differ by it), then delivered.
        await warehouse.run(
          `UPDATE channel_outbox SET status = 'delivered', submitted_at = ?, final_at = ?
           WHERE source = 'campaign' AND status = 'pending'`,
          ['2026-03-08 10:00:05.5', '2026-03-08 10:00:09'],
        );
      } finally {
        warehouse.close();
      }
    }
    assert.deepEqual(pilots[1], pilots[0]);
    assert.ok(pilots[0]!.contacted > 100 && pilots[0]!.control > 100, JSON.stringify(pilots[0]));
    assert.equal(ids[1], ids[0]);

    // The same state: assignments and outbox messages, row for row.
    const stateOf = async (path: string) => {
      const warehouse = await Warehouse.open(path);
      try {
        return {
          assigned: await warehouse.all(
            'SELECT campaign_id, round, msisdn, grp FROM campaign_assignments ORDER BY msisdn',
          ),
          outbox: await warehouse.all(
            'SELECT message_id, recipient, subscriber, text, status, service_id FROM channel_outbox ORDER BY message_id',
          ),
        };
      } finally {
        warehouse.close();
      }
    };
    const [expectedState, actualState] = [await stateOf(onlyFile), await stateOf(stateFile)];
    assert.ok(expectedState.outbox.length > 100);
    assert.deepEqual(actualState, expectedState);

    // The demo's responses to the delivered messages, loaded into the file and into the cluster.
    const responses = join(folder, 'responses');
    const file = await Warehouse.open(onlyFile);
    const simulated = await simulateResponses(file, responses).finally(() => file.close());
    assert.ok(simulated.orders.campaign + simulated.orders.baseline > 0, JSON.stringify(simulated));
    assert.equal(telmark(['--db', onlyFile, 'load', responses]).code, 0);
    const loaded = telmark(['--db', stateFile, '--warehouse', url, 'load', responses]);
    assert.equal(loaded.code, 0, loaded.stderr);

    const evaluations = [];
    for (const [path, facts] of [
      [onlyFile, undefined],
      [stateFile, cluster],
    ] as const) {
      const warehouse = await Warehouse.open(path);
      try {
        evaluations.push(await evaluateCampaign(warehouse, ids[0]!, maker, deps(facts)));
      } finally {
        warehouse.close();
      }
    }
    const [expected, actual] = evaluations;
    assert.ok(expected!.responders_contacted + expected!.responders_control > 0, 'someone responded');
    assert.deepEqual(actual, expected);

    // The features rule discovery reads, per shard for the pushed contacts, equal DuckDB's.
    const fromCluster = await readUpliftFeaturesOnClickHouse(cluster, roundContactsKey(ids[0]!, 1));
    const only = await Warehouse.open(onlyFile);
    try {
      const fromFile = await only.all<Record<string, unknown>>(
        `WITH f AS (${upliftFeaturesSql()}) SELECT f.* FROM f
         WHERE msisdn IN (SELECT msisdn FROM campaign_assignments WHERE campaign_id = ?)`,
        [ids[0]!],
      );
      const byMsisdn = (rows: Record<string, unknown>[]) =>
        [...rows].sort((a, b) => String(a.msisdn).localeCompare(String(b.msisdn)));
      assert.equal(fromCluster.length, fromFile.length);
      assert.deepEqual(byMsisdn(fromCluster), byMsisdn(fromFile));
    } finally {
      only.close();
    }
  });

  test('analyze marketing: the outbox pushed to the cluster, answered per shard, equals DuckDB', async () => {
    // Beside the pilot's campaign messages: trigger and ad-hoc ones with answers on both sides of the
    // window's edges (sent at a fraction of a second, orders in whole seconds), one not delivered, one
    // without a service, one to an e-mail address, one of another month, and an alert (not marketing).
    const only = await Warehouse.open(onlyFile);
    const people = await only
      .all<{ msisdn: string; county: string }>(
        'SELECT msisdn, county FROM subscribers ORDER BY msisdn LIMIT 5 OFFSET 10',
      )
      .finally(() => only.close());
    const [a, b, c, d, e] = people.map((p) => p.msisdn) as [string, string, string, string, string];
    const planted: [string, string, string, string | null, string, string, string, string][] = [
      // id, source, subscriber, service, status, queued, final, kind
      ['m1', 'trigger', a, 'music', 'delivered', '2026-03-20 09:59:58', '2026-03-20 09:59:59.5', 'marketing'],
      ['m2', 'trigger', b, 'music', 'delivered', '2026-03-20 10:00:00', '2026-03-20 10:00:00.5', 'marketing'],
      ['m3', 'trigger', c, 'music', 'failed', '2026-03-20 10:00:00', '2026-03-20 10:00:01', 'marketing'],
      ['m4', 'adhoc', d, null, 'delivered', '2026-03-20 10:00:00', '2026-03-20 10:00:01', 'marketing'],
      [
        'm5',
        'adhoc',
        'ops@example.com',
        'music',
        'delivered',
        '2026-03-20 10:00:00',
        '2026-03-20 10:00:01',
        'marketing',
      ],
      ['m6', 'trigger', e, 'music', 'delivered', '2026-04-01 08:00:00', '2026-04-01 08:00:01', 'marketing'],
      ['m7', 'alert', a, 'music', 'delivered', '2026-03-20 09:00:00', '2026-03-20 09:00:01', 'alert'],
    ];
    const plant = async (path: string, rows: typeof planted) => {
      const warehouse = await Warehouse.open(path);
      try {
        for (const [id, source, subscriber, service, status, queued, final, kind] of rows)
          await warehouse.run(
            `INSERT INTO channel_outbox (message_id, source, source_ref, kind, channel, recipient, subscriber, service_id,
               text, text_hash, status, queued_at, not_before, attempts, final_at, updated_at)
             VALUES (?, ?, 'r1', ?, 'sms', ?, ?, ?, 'offer', 'h', ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), 1,
               CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP))`,
            [id, source, kind, subscriber, subscriber, service, status, queued, queued, final, final],
          );
      } finally {
        warehouse.close();
      }
    };
    await plant(onlyFile, planted);
    await plant(stateFile, planted);
    const orders = join(folder, 'marketing-orders');
    mkdirSync(orders);
    const header = 'order_id,ts,msisdn,service_id,action,channel,trial,confirmed,campaign_id';
    writeFileSync(
      join(orders, 'orders_20260320.csv'),
      `${[
        header,
        `MK1,2026-03-20 10:00:00,${a},music,subscribe,sms,0,1,`, // a second after m1: answers it
        `MK2,2026-03-21 12:00:00,${a},music,subscribe,sms,0,1,`, // answers it again: counted once
        `MK3,2026-03-20 10:00:00,${b},music,subscribe,sms,0,1,`, // half a second before m2: does not
        `MK4,2026-03-20 11:00:00,${c},music,subscribe,sms,0,1,`, // m3 was not delivered
        `MK5,2026-03-20 11:00:00,${d},music,subscribe,sms,0,1,`, // m4 promoted no service
      ].join('\n')}\n`,
    );
    // m2 + 3 days is 10:00:00.5: an order at 10:00:01 is outside the window.
    writeFileSync(
      join(orders, 'orders_20260323.csv'),
      `${header}\nMK6,2026-03-23 10:00:01,${b},music,subscribe,sms,0,1,\n`,
    );
    assert.equal(telmark(['--db', onlyFile, 'load', orders]).code, 0);
    const loaded = telmark(['--db', stateFile, '--warehouse', url, 'load', orders]);
    assert.equal(loaded.code, 0, loaded.stderr);

    const file = await Warehouse.open(onlyFile);
    const state = await Warehouse.open(stateFile);
    try {
      const requests: AnalysisRequest[] = [
        {},
        { filters: { county: [people[0]!.county] } },
        { filters: { brand: ['mzone', 'gotone'] } },
        { filters: { region: ['河源'], county: ['源城', '龙川'] } },
      ];
      for (const request of requests) {
        const expected = await runAnalysis(file, 'marketing', request);
        assert.deepEqual(
          await runAnalysis(cluster, 'marketing', request, { state }),
          expected,
          JSON.stringify(request),
        );
      }
      const whole = await runAnalysis(file, 'marketing', {});
      const headline = (key: string) => whole.headlines?.find((h) => h.key === key)?.value;
      assert.ok(Number(headline('messages')) > 100, 'the pilot and the planted messages');
      const triggers = whole.sections[0]!.rows.filter((r) => r.source === 'trigger' && r.month === '2026-03');
      assert.deepEqual(
        triggers.map((r) => [r.messages, r.delivered, r.responded]),
        [[3, 2, 1]],
      );
      const campaign = whole.sections[0]!.rows.find((r) => r.source === 'campaign' && r.month === '2026-03');
      assert.ok(Number(campaign?.responded) > 0, 'someone answered the pilot');
      assert.ok(
        whole.sections[1]!.rows.some((r) => r.county === '' && r.source === 'adhoc'),
        'the e-mail subscriber has no county',
      );

      // Pushed once, not doubled by the runs above; a changed outbox replaces the push.
      const marketingCount = async () => state.scalar(`SELECT count(*) FROM channel_outbox WHERE kind = 'marketing'`);
      assert.equal(await cluster.scalar('SELECT count() FROM marketing_messages'), await marketingCount());
      await state.run(
        `UPDATE channel_outbox SET status = 'delivered', final_at = TIMESTAMP '2026-03-20 10:00:30' WHERE message_id = 'm3'`,
      );
      await file.run(
        `UPDATE channel_outbox SET status = 'delivered', final_at = TIMESTAMP '2026-03-20 10:00:30' WHERE message_id = 'm3'`,
      );
      const after = await runAnalysis(cluster, 'marketing', {}, { state });
      assert.deepEqual(after, await runAnalysis(file, 'marketing', {}));
      assert.notDeepEqual(after.headlines, whole.headlines);
      assert.equal(await cluster.scalar('SELECT count() FROM marketing_messages'), await marketingCount());
      assert.equal(await cluster.scalar('SELECT uniqExact(push_key) FROM marketing_messages'), 1);
    } finally {
      file.close();
      state.close();
    }

    // Through the command: the state file beside the cluster, as on the file alone.
    for (const filter of [[], ['--filter', 'brand=mzone']]) {
      const onFile = telmark(['--db', onlyFile, '--format', 'json', 'analyze', 'marketing', ...filter]);
      assert.equal(onFile.code, 0, onFile.stderr);
      const onCluster = telmark([
        ...['--db', stateFile, '--warehouse', url, '--format', 'json'],
        ...['analyze', 'marketing', ...filter],
      ]);
      assert.equal(onCluster.code, 0, onCluster.stderr);
      assert.deepEqual(JSON.parse(onCluster.stdout), JSON.parse(onFile.stdout));
    }
  });

  test('the server on the cluster answers the audience preview and the round evaluation as the file does', async () => {
    const common = { host: '127.0.0.1', port: 0, webRoot: null, logLevel: 'silent', access: testAccess } as const;
    const only = await Warehouse.open(onlyFile);
    const state = await Warehouse.open(stateFile);
    const onFile = await startServer({ ...common, warehouse: only });
    const onCluster = await startServer({ ...common, warehouse: state, facts: cluster });
    try {
      const ask = async (server: RunningServer, path: string, body?: unknown) => {
        const response = await fetch(`${server.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: body === undefined ? {} : { 'content-type': 'application/json', origin: server.url },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: response.status, body: (await response.json()) as unknown };
      };
      const preview = { definition: definitions[1] };
      const expected = await ask(onFile, '/api/audiences/preview', preview);
      assert.equal(expected.status, 200, JSON.stringify(expected.body));
      assert.deepEqual(await ask(onCluster, '/api/audiences/preview', preview), expected);
      const marketing = await ask(onFile, '/api/analysis/marketing?county=源城');
      assert.equal(marketing.status, 200, JSON.stringify(marketing.body));
      assert.deepEqual(await ask(onCluster, '/api/analysis/marketing?county=源城'), marketing);
      const evaluation = await ask(onFile, '/api/campaigns/C0001/evaluation');
      assert.equal(evaluation.status, 200, JSON.stringify(evaluation.body));
      assert.deepEqual(await ask(onCluster, '/api/campaigns/C0001/evaluation'), evaluation);
    } finally {
      await onFile.close();
      await onCluster.close();
      only.close();
      state.close();
    }
  });

  test('anomaly detection reads the cluster and finds what it finds on DuckDB; the findings stay in the file', async () => {
    const { detectWarehouseAnomalies } = await import('../../src/anomalies/index.ts');
    const clock = fixedClock('2026-03-20T02:00:00Z');
    // Thresholds every day passes, so the business rules fire on this small operator (a week is too
    // short for the baselines) and their rows are compared: every channel x service x day with orders,
    // and every subscribe cancelled within the week.
    const rules = {
      unconfirmedShare: -1,
      unconfirmedMinimum: 0,
      quickCancelMinutes: 60 * 24 * 7,
      quickCancelMinimum: 1,
    };
    const range = { from: '2026-03-01', to: '2026-03-16', clock, rules, save: false };
    // Two subscribers who order and cancel within minutes on a new day, loaded into both engines.
    const first = await Warehouse.open(onlyFile);
    const two = await first
      .all<{ msisdn: string }>('SELECT msisdn FROM subscribers ORDER BY msisdn LIMIT 2')
      .finally(() => first.close());
    const quick = join(folder, 'quick');
    mkdirSync(quick);
    writeFileSync(
      join(quick, 'orders_20260316.csv'),
      [
        'order_id,ts,msisdn,service_id,action,channel,trial,confirmed,campaign_id',
        ...two.flatMap(({ msisdn }, i) => [
          `Q${i}a,2026-03-16 10:00:00,${msisdn},music,subscribe,wap,0,1,`,
          `Q${i}b,2026-03-16 10:04:00,${msisdn},music,unsubscribe,wap,0,1,`,
        ]),
      ].join('\n') + '\n',
    );
    assert.equal(telmark(['--db', onlyFile, 'load', quick]).code, 0);
    const loaded = telmark(['--db', stateFile, '--warehouse', url, 'load', quick]);
    assert.equal(loaded.code, 0, loaded.stderr);
    const only = await Warehouse.open(onlyFile);
    const state = await Warehouse.open(stateFile);
    try {
      const expected = await detectWarehouseAnomalies(only, range);
      const actual = await detectWarehouseAnomalies(state, { ...range, facts: cluster });
      assert.ok(expected.slices > 0 && expected.anomalies.length > 0, JSON.stringify({ ...expected, anomalies: [] }));
      assert.deepEqual({ ...actual, ms: 0 }, { ...expected, ms: 0 });
      assert.ok(
        expected.anomalies.some((a) => a.kind === 'quick_cancel'),
        'a quick cancellation is among them',
      );
      // The make-up of the groups, with limits so low that the day-to-day noise alarms.
      const { detectGroupChanges } = await import('../../src/anomalies/warehouse/group-change.ts');
      const labels = (_: string, value: string) => ({ zh: value, en: value });
      const loose = { maxShift: 0.001, minimumMembers: 1 };
      const week = { from: '2026-03-02', to: '2026-03-07', dayBefore: '2026-03-01' };
      const shifts = await detectGroupChanges(only, week, labels, loose);
      assert.ok(shifts.length > 0);
      // The detector reports in the order the rows came, unordered on either engine, and its wording
      // names the first of equally moved parts: compare the findings' figures, sorted.
      const sorted = (list: typeof shifts) =>
        list
          .map(({ series, day, kind, observed, expected, score, severity }) => ({
            series,
            day,
            kind,
            observed,
            expected,
            score,
            severity,
          }))
          .sort((a, b) => `${a.series}|${a.day}`.localeCompare(`${b.series}|${b.day}`));
      assert.deepEqual(sorted(await detectGroupChanges(cluster, week, labels, loose)), sorted(shifts));
      // What the loads stored (`telmark load` on each engine ran the detectors): the same rows.
      const stored = (w: Warehouse) =>
        w.all(
          `SELECT series, CAST(day AS VARCHAR) AS day, kind, observed, expected, severity, explanation_en
           FROM anomalies ORDER BY series, day, kind`,
        );
      assert.deepEqual(await stored(state), await stored(only));
    } finally {
      only.close();
      state.close();
    }
    // `telmark anomalies --detect` on the cluster: the detectors read it, the list comes from the file.
    const day = ['--detect', '--from', '2026-03-16', '--to', '2026-03-16'];
    const onCluster = telmark(['--db', stateFile, '--warehouse', url, '--format', 'json', 'anomalies', ...day]);
    assert.equal(onCluster.code, 0, onCluster.stderr);
    const onFile = telmark(['--db', onlyFile, '--format', 'json', 'anomalies', ...day]);
    const withoutIds = (text: string) =>
      (JSON.parse(text) as Record<string, unknown>[]).map(({ id: _, detectedAt: __, ...rest }) => rest);
    assert.ok(withoutIds(onFile.stdout).length > 0, 'the planted day has findings');
    assert.deepEqual(withoutIds(onCluster.stdout), withoutIds(onFile.stdout));
  });

  test('telmark campaign runs with --warehouse; the state file holds no facts', async () => {
    const list = telmark(['--db', stateFile, '--warehouse', url, '--format', 'json', 'campaign', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /彩铃体验 on both engines/);
    const state = await Warehouse.open(stateFile);
    try {
      for (const table of ['subscribers', 'orders', 'subscriber_facts'])
        assert.equal(await state.scalar(`SELECT count(*) FROM ${table}`), 0, table);
    } finally {
      state.close();
    }
  });
});
