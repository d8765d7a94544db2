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
import { ClickHouseWarehouse } from '../../src/warehouse/clickhouse/index.ts';
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
    assert.match(run.stderr, /the ClickHouse warehouse has no mining_churn_scores table/);
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
