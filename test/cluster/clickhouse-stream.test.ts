// `telmark stream` on a ClickHouse warehouse: cells, services and brands read from the cluster (a
// worker only its own subscribers), model results from the cluster's mining tables when a rule needs
// them, decisions and the outbox in each worker's --db file. The reference is `telmark stream` on a
// DuckDB file holding the same generated operator, reading the same events.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { buildServer } from '../../src/api/server.ts';
import { readCluster } from '../../src/cluster/cluster-folder.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { setLiveStream } from '../../src/stream/live-stream.ts';
import { openStreamSession } from '../../src/stream/stream-session.ts';
import { clickhouseWorkerFilter } from '../../src/stream/partitions/clickhouse-partition-sql.ts';
import { partitionOf } from '../../src/stream/partitions/partition-of.ts';
import { ClickHouseWarehouse, clickhouseLiteral, shardOf } from '../../src/warehouse/clickhouse/index.ts';
import { TriggerEngine } from '../../src/stream/engine/trigger-engine.ts';
import { readWarehouseCells } from '../../src/stream/geofences/warehouse-cells.ts';
import { applyRuleFile } from '../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../src/stream/rules/parse-rules.ts';
import { loadClusterModelResults } from '../../src/stream/state/load-cluster-model-results.ts';
import { loadStoredModelResults } from '../../src/stream/state/load-profiles.ts';
import { Warehouse, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { testAccess } from '../access/test-access.ts';
import { clickhouseSkip, clusterWithFeeds, telmark } from './cluster-cli.ts';

const cli = resolve(import.meta.dirname, '../../bin/telmark.js');
const rules = resolve(import.meta.dirname, '../../examples/rules/heyuan.yaml');
const PARTITIONS = 8;

type Trigger = {
  msisdn: string;
  rule_id: string;
  event_ts: string;
  status: string;
};

async function triggersOf(files: string[]): Promise<Trigger[]> {
  const all: Trigger[] = [];
  for (const file of files)
    all.push(
      ...(await withWarehouse(file, (w) =>
        w.all<Trigger>(
          'SELECT msisdn, rule_id, CAST(event_ts AS VARCHAR) AS event_ts, status FROM stream_outbox ORDER BY ALL',
        ),
      )),
    );
  return all.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('telmark stream on a ClickHouse warehouse', { skip: clickhouseSkip }, () => {
  let folder = '';
  let url = '';
  let nats: string[] = [];
  let events = '';
  let reference: Trigger[] = [];

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-ch-stream-'));
    const duckdb = join(folder, 'reference.duckdb');
    const cluster = clusterWithFeeds(
      folder,
      { subscribers: 2000, days: 2, signallingPerSub: 5 },
      { duckdb, stateFile: join(folder, 'load-state.duckdb') },
    );
    url = cluster.url;
    nats = readCluster(join(folder, 'nodes'))!.nats;
    events = join(folder, 'events.jsonl');
    const replayed = telmark(['replay', '--from', cluster.feeds, '--speed', '0', '--to', events]);
    assert.equal(replayed.code, 0, replayed.stderr);
    const published = telmark([
      'replay',
      '--from',
      cluster.feeds,
      '--speed',
      '0',
      '--nats',
      nats.join(','),
      '--partitions',
      String(PARTITIONS),
    ]);
    assert.equal(published.code, 0, published.stderr);
    const run = telmark(['--db', duckdb, 'stream', '--source', events, '--rules', rules, '--max-skew', 'off']);
    assert.equal(run.code, 0, run.stderr);
  });
  after(() => {
    if (!folder) return;
    telmark(['cluster', 'down', '--folder', join(folder, 'nodes')]);
    rmSync(folder, { recursive: true, force: true });
  });

  test('a worker’s share computed on the shards is the share partitionOf gives', async () => {
    const cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
    const rows = await cluster.all<{ msisdn: string; w0: number; w1: number; w2: number }>(
      `SELECT msisdn, ${[0, 1, 2].map((i) => `${clickhouseWorkerFilter('msisdn', PARTITIONS, { index: i, count: 3 })} AS w${i}`).join(', ')} FROM subscribers`,
    );
    assert.equal(rows.length, 2000);
    for (const row of rows) {
      const owner = partitionOf(row.msisdn, PARTITIONS) % 3;
      assert.deepEqual(
        [row.w0, row.w1, row.w2].map(Number),
        [0, 1, 2].map((i) => (i === owner ? 1 : 0)),
        row.msisdn,
      );
    }
  });

  test('two workers on the cluster give the triggers of one process on the DuckDB file', {
    timeout: 240_000,
  }, async () => {
    reference = await triggersOf([join(folder, 'reference.duckdb')]);
    assert.ok(reference.length > 500, `the reference makes triggers (${reference.length})`);
    // Brands decide two of the rules: the workers must have read their subscribers' brands.
    assert.ok(reference.some((t) => t.rule_id === 'campus-welcome-mzone'));
    const stderr = ['', ''];
    const workers = [0, 1].map((index) => {
      const child = spawn(
        process.execPath,
        [
          cli,
          '--db',
          join(folder, `worker-${index}.duckdb`),
          '--warehouse',
          url,
          'stream',
          '--nats',
          nats.join(','),
          '--partitions',
          String(PARTITIONS),
          '--worker',
          `${index}/2`,
          '--snapshot',
          join(folder, `worker-${index}.snap`),
          '--snapshot-every',
          '0.5',
          '--ack-wait',
          '5',
          '--rules',
          rules,
          '--max-skew',
          'off',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], cwd: folder },
      );
      child.stderr?.on('data', (d) => {
        stderr[index] += d;
      });
      return child;
    });
    try {
      await waitForAllAcknowledged(nats, 180_000, () => workers.every((w) => w.exitCode === null), stderr);
    } finally {
      for (const w of workers) w.kill('SIGTERM');
    }
    assert.deepEqual(await Promise.all(workers.map(exitOf)), [0, 0], stderr.join('\n'));
    // Each worker read only its own subscribers' brands from the cluster; together, all of them.
    const shares = stderr.map((text) =>
      Number(/ClickHouse warehouse: (\d+) subscribers of this worker/.exec(text)?.[1]),
    );
    assert.equal(shares[0]! + shares[1]!, 2000, stderr.join('\n'));
    assert.ok(
      shares.every((n) => n > 500 && n < 1500),
      `shares ${shares}`,
    );
    const perWorker = await Promise.all([0, 1].map((i) => triggersOf([join(folder, `worker-${i}.duckdb`)])));
    assert.ok(
      perWorker.every((t) => t.length > 0),
      'both workers make triggers',
    );
    assert.deepEqual(await triggersOf([0, 1].map((i) => join(folder, `worker-${i}.duckdb`))), reference);
  });

  test('the stream routes answer the same JSON from a stream on the cluster as from one on the DuckDB file', {
    timeout: 240_000,
  }, async () => {
    const paths = [
      '/api/stream/areas?window=1800',
      '/api/stream/map',
      '/api/stream/map/area/station',
      '/api/stream/map/county/源城',
      '/api/stream/geofences',
      '/api/stream/rules',
      '/api/stream/decisions?limit=500',
    ];
    const answers: Record<string, unknown>[] = [];
    const cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
    for (const onCluster of [false, true]) {
      // The DuckDB side is the reference file (the operator loaded, the same rules stored by the run
      // above); the cluster side a state file that holds no facts.
      const file = await Warehouse.open(join(folder, onCluster ? 'routes-state.duckdb' : 'routes-reference.duckdb'));
      if (!onCluster) await file.run(`ATTACH '${join(folder, 'reference.duckdb')}' AS ref (READ_ONLY)`);
      try {
        if (!onCluster)
          for (const table of ['cells', 'services', 'subscribers'])
            await file.run(`INSERT INTO ${table} BY NAME SELECT * FROM ref.${table}`);
        const session = await openStreamSession({
          source: events,
          clock: fixedClock('2026-03-10T00:00:00Z'),
          maxSkewSec: 0,
          warehouse: file,
          ...(onCluster ? { facts: cluster } : {}),
          rulesFile: rules,
          liveAnomalies: false,
        });
        await session.run();
        const app = await buildServer({
          warehouse: file,
          ...(onCluster ? { facts: cluster } : {}),
          access: testAccess,
          webRoot: null,
          clock: fixedClock('2026-03-10T00:00:00Z'),
        });
        setLiveStream(session);
        try {
          const answer: Record<string, unknown> = {};
          for (const path of paths) {
            const response = await app.inject({ method: 'GET', url: encodeURI(path) });
            assert.equal(response.statusCode, 200, `${onCluster ? 'cluster' : 'file'} ${path}: ${response.body}`);
            answer[path] = response.json();
          }
          answers.push(answer);
        } finally {
          setLiveStream(undefined);
          await app.close();
        }
      } finally {
        file.close();
      }
    }
    const [onFile, onCluster] = answers as [Record<string, unknown>, Record<string, unknown>];
    for (const path of paths) assert.deepEqual(onCluster[path], onFile[path], path);
    const areas = onFile['/api/stream/areas?window=1800'] as { running: boolean; areas: { present: number }[] };
    assert.equal(areas.running, true);
    assert.ok(
      areas.areas.some((a) => a.present > 0),
      'the compared answers count someone',
    );
  });

  test('a rule on a score the cluster lacks stops the stream with WAREHOUSE_UNSUPPORTED', () => {
    const scored = join(folder, 'scored.yaml');
    writeFileSync(
      scored,
      [
        'rules:',
        '  - id: churners-at-station',
        '    where: { geofences: [station] }',
        '    who: { scores: [{ model: churn, min: 0.5 }] }',
        '    message: { text: "留住你" }',
        'geofences:',
        '  - id: station',
        '    area_type: [station]',
        '',
      ].join('\n'),
    );
    const run = telmark([
      '--db',
      join(folder, 'scored.duckdb'),
      '--warehouse',
      url,
      'stream',
      '--source',
      events,
      '--rules',
      scored,
      '--max-skew',
      'off',
    ]);
    assert.equal(run.code, 2, run.stderr);
    // Exit 2 is WAREHOUSE_UNSUPPORTED's; the message names the rule, the score and the missing table.
    assert.match(run.stderr, /rule "churners-at-station" needs the churn scores/);
    // The load made the mining tables (clickhouse-mining-tables.ts); no model has written to them yet.
    assert.match(run.stderr, /mining_churn_scores on the cluster has no row for it/);
  });

  test('the model results a rule uses are read from the cluster, each worker its own subscribers, the latest model', {
    timeout: 120_000,
  }, async () => {
    const cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
    // The mining tables are made with the rest of the schema (clickhouse-mining-tables.ts); the rows
    // are written here by hand, each on its subscriber's shard, to have two versions of a model.
    const numbers = await withWarehouse(join(folder, 'reference.duckdb'), (w) =>
      w.all<{ msisdn: string }>('SELECT msisdn FROM subscribers ORDER BY 1'),
    );
    // Two churn models: v1 (older) scores everyone high, v2 (newer) spreads them; the newer one counts.
    const rows = numbers.map(({ msisdn }, i) => ({
      msisdn,
      v1: 0.9,
      v2: (i % 10) / 10,
      propensity: ((i * 7) % 10) / 10,
      segment: i % 3 === 0 ? 'busy' : 'quiet',
    }));
    const byShard = new Map<number, typeof rows>();
    for (const row of rows) {
      const shard = shardOf(row.msisdn, cluster.shards.length);
      byShard.set(shard, [...(byShard.get(shard) ?? []), row]);
    }
    for (const [index, part] of byShard) {
      const shard = cluster.shards[index]!;
      const values = (list: (string | number)[][]) =>
        list.map((v) => `(${v.map(clickhouseLiteral).join(', ')})`).join(', ');
      await cluster.runOn(
        shard,
        `INSERT INTO mining_churn_scores_local (msisdn, score, model_version) VALUES ${values(
          part.flatMap((r) => [
            [r.msisdn, r.v1, 'v1'],
            [r.msisdn, r.v2, 'v2'],
          ]),
        )}`,
      );
      await cluster.runOn(
        shard,
        `INSERT INTO mining_propensity_scores_local (msisdn, service_id, score, model_version) VALUES ${values(part.map((r) => [r.msisdn, '12580', r.propensity, 'p1']))}`,
      );
      await cluster.runOn(
        shard,
        `INSERT INTO mining_segment_members_local (msisdn, segment, model_version, assigned_at) VALUES ${values(
          part.flatMap((r) => [
            [r.msisdn, 'old', 's1', '2026-02-01 00:00:00'],
            [r.msisdn, r.segment, 's2', '2026-03-01 00:00:00'],
          ]),
        )}`,
      );
    }
    const ruleText = [
      'geofences:',
      '  - id: station',
      '    area_type: [station]',
      'rules:',
      '  - id: churners-at-station',
      '    where: { geofences: [station] }',
      '    who: { scores: [{ model: churn, min: 0.5 }] }',
      '    message: { text: "留住你" }',
      '  - id: busy-12580',
      '    who: { segments: [busy], scores: [{ model: "propensity:12580", min: 0.3 }] }',
      '    message: { text: "试试12580" }',
      '',
    ].join('\n');
    const cells = await readWarehouseCells(cluster);
    const newEngine = () => {
      const engine = new TriggerEngine({ cells, clock: fixedClock('2026-03-10T00:00:00Z'), expectedSubscribers: 16 });
      applyRuleFile(engine, parseRuleText(ruleText, 'scored.yaml'));
      return engine;
    };
    // The same results on DuckDB, the reference: the models' training times in the file.
    const reference = newEngine();
    const state = await Warehouse.open(join(folder, 'scores-state.duckdb'));
    try {
      await state.run(
        `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, method, model_json)
         VALUES ('v1', 'churn', 'gbdt', TIMESTAMP '2026-02-01 00:00:00', 1, 'test', '{}'),
                ('v2', 'churn', 'gbdt', TIMESTAMP '2026-03-01 00:00:00', 1, 'test', '{}'),
                ('p1', 'propensity', 'gbdt', TIMESTAMP '2026-03-01 00:00:00', 1, 'test', '{}')`,
      );
      await withWarehouse(join(folder, 'scores-reference.duckdb'), async (file) => {
        await file.run(
          `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, method, model_json)
           VALUES ('v1', 'churn', 'gbdt', TIMESTAMP '2026-02-01 00:00:00', 1, 'test', '{}'),
                  ('v2', 'churn', 'gbdt', TIMESTAMP '2026-03-01 00:00:00', 1, 'test', '{}'),
                  ('p1', 'propensity', 'gbdt', TIMESTAMP '2026-03-01 00:00:00', 1, 'test', '{}')`,
        );
        for (let from = 0; from < rows.length; from += 250) {
          const part = rows.slice(from, from + 250);
          const marks = (n: number) => part.map(() => `(${Array(n).fill('?').join(', ')})`).join(', ');
          await file.run(
            `INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES ${marks(3)}, ${marks(3)}`,
            [...part.flatMap((r) => [r.msisdn, r.v1, 'v1']), ...part.flatMap((r) => [r.msisdn, r.v2, 'v2'])],
          );
          await file.run(
            `INSERT INTO mining_propensity_scores (msisdn, service_id, score, model_version) VALUES ${marks(4)}`,
            part.flatMap((r) => [r.msisdn, '12580', r.propensity, 'p1']),
          );
          await file.run(
            `INSERT INTO mining_segment_members (msisdn, segment, model_version, assigned_at) VALUES ${marks(4)}, ${marks(4)}`,
            [
              ...part.flatMap((r) => [r.msisdn, 'old', 's1', '2026-02-01 00:00:00']),
              ...part.flatMap((r) => [r.msisdn, r.segment, 's2', '2026-03-01 00:00:00']),
            ],
          );
        }
        await loadStoredModelResults(file, reference);
      });
      const workers = [0, 1].map(() => newEngine());
      const loaded = [];
      for (const [index, engine] of workers.entries())
        loaded.push(
          await loadClusterModelResults(cluster, state, engine, {
            share: { partitions: PARTITIONS, worker: { index, count: 2 } },
            pageRows: 97, // many pages per shard
          }),
        );
      assert.equal(loaded[0]!.churn + loaded[1]!.churn, 2000);
      assert.equal(loaded[0]!.propensity + loaded[1]!.propensity, 2000);
      assert.equal(loaded[0]!.segments + loaded[1]!.segments, 2000);
      const valuesOf = (engine: TriggerEngine, msisdn: string) => {
        const sub = engine.state.indexOf(msisdn);
        const code = engine.state.segment[sub];
        // Segment codes are numbered as names come: compare the names.
        const segment = ['busy', 'quiet', 'old'].find((name) => engine.rules.segmentCode(name) === code) ?? null;
        return [engine.state.scoreColumn('churn')[sub], engine.state.scoreColumn('propensity:12580')[sub], segment];
      };
      for (const { msisdn } of numbers) {
        const owner = partitionOf(msisdn, PARTITIONS) % 2;
        assert.deepEqual(valuesOf(workers[owner]!, msisdn), valuesOf(reference, msisdn), msisdn);
        assert.deepEqual(
          valuesOf(workers[1 - owner]!, msisdn),
          [Number.NaN, Number.NaN, null],
          `${msisdn} on the other worker`,
        );
      }
      // The newer churn model counts: v1 would give everyone 0.9.
      assert.ok(numbers.some(({ msisdn }) => (valuesOf(reference, msisdn)[0] as number) < 0.5));
      // A model the table has no row of refuses as a missing table does.
      const unknown = new TriggerEngine({ cells, clock: fixedClock('2026-03-10T00:00:00Z') });
      applyRuleFile(
        unknown,
        parseRuleText(
          'rules:\n  - id: no-such-service\n    who: { scores: [{ model: "propensity:99999", min: 0.1 }] }\n    message: { text: "x" }\n',
          'unknown.yaml',
        ),
      );
      await assert.rejects(loadClusterModelResults(cluster, state, unknown), (error: Error) => {
        assert.match(error.message, /rule "no-such-service" needs the scores "propensity:99999"/);
        assert.match(error.message, /mining_propensity_scores on the cluster has no row for it/);
        return true;
      });
    } finally {
      state.close();
    }
  });
});

/** Waits until every partition's consumer has acknowledged everything published. */
async function waitForAllAcknowledged(
  servers: string[],
  timeoutMs: number,
  running: () => boolean,
  stderr: string[],
): Promise<void> {
  const connection = await connect({ servers });
  try {
    const manager = await jetstreamManager(connection);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      assert.ok(running(), `a worker stopped: ${stderr.join('\n')}`);
      const infos = await Promise.all(
        Array.from({ length: PARTITIONS }, (_, p) =>
          manager.consumers.info('SIG', `telmark-sig-${p}`).catch(() => undefined),
        ),
      );
      if (infos.every((i) => i !== undefined && i.num_pending === 0 && i.num_ack_pending === 0)) return;
      assert.ok(Date.now() < deadline, `the workers did not acknowledge everything in time: ${stderr.join('\n')}`);
      await sleep(300);
    }
  } finally {
    await connection.close();
  }
}
