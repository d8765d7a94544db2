// The telecom models and the customer profile on a ClickHouse cluster against the DuckDB file loaded from
// the same feeds: the same feature table, uptake and baskets; the same model (version, held-out AUC) with
// a fixed seed; the same scores, offers and segment members written back, each on the shard that holds
// its subscriber, and a re-run replacing them rather than doubling them. Then the profile of the models
// just written: the same JSON from `telmark customer` and GET /api/customers/:msisdn on both engines,
// with the live state and the audit in the file beside the cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { roles } from '../../src/access/index.ts';
import { type AnalysisResult, runAnalysis } from '../../src/analysis/index.ts';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import { previewAudience } from '../../src/campaigns/audiences/index.ts';
import { audienceMembers } from '../../src/campaigns/targeting/audience-members.ts';
import { readCustomerProfile } from '../../src/customers/index.ts';
import { readWarehouseBaskets } from '../../src/mining/rules/warehouse-baskets.ts';
import { fitChurnModel, readSubscriberFeatures } from '../../src/mining/telecom/index.ts';
import { readServiceUptake } from '../../src/mining/telecom/service-propensity.ts';
import { ClickHouseWarehouse, shardOf } from '../../src/warehouse/clickhouse/index.ts';
import { fixedClock, systemClock } from '../../src/shared/clock.ts';
import { Warehouse, withWarehouse } from '../../src/warehouse/index.ts';
import { bearerFor } from '../access/test-access.ts';
import { clickhouseSkip, clusterWithFeeds, telmark } from './cluster-cli.ts';

describe('mining on a ClickHouse warehouse', { skip: clickhouseSkip, timeout: 600_000 }, () => {
  let folder = '';
  let duckdb = '';
  let state = '';
  let url = '';
  let cluster: ClickHouseWarehouse;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-cluster-mining-'));
    duckdb = join(folder, 'telmark.duckdb');
    // The cluster's operational store: the load's anomalies (the profile's alerts), then the audit.
    state = join(folder, 'state.duckdb');
    // Three weeks: closures within the window give the churn label a few dozen positives.
    ({ url } = clusterWithFeeds(
      folder,
      { subscribers: 1500, days: 21, signallingPerSub: 2 },
      { duckdb, stateFile: state },
    ));
    cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
  });

  after(() => {
    if (folder) {
      telmark(['cluster', 'down', '--folder', join(folder, 'nodes')]);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the feature table, the service uptake and the holding baskets equal DuckDB’s', async () => {
    await withWarehouse(duckdb, async (warehouse) => {
      const expected = await readSubscriberFeatures(warehouse);
      const actual = await readSubscriberFeatures(cluster);
      assert.ok(expected.length > 1000, `${expected.length} feature rows`);
      assert.ok(expected.filter((r) => Number(r.churned) === 1).length > 5, 'some churners');
      assert.deepEqual(Object.keys(actual[0]!), Object.keys(expected[0]!));
      assert.equal(actual.length, expected.length);
      assert.deepEqual(actual, expected);

      const [uptakeDuck, uptakeClick] = [await readServiceUptake(warehouse), await readServiceUptake(cluster)];
      assert.deepEqual(uptakeClick, uptakeDuck);
      assert.ok(uptakeDuck.orderedInWindow.size > 0);

      const [basketsDuck, basketsClick] = [
        await readWarehouseBaskets(warehouse, 'holdings'),
        await readWarehouseBaskets(cluster, 'holdings'),
      ];
      assert.equal(basketsClick.basketCount, basketsDuck.basketCount);
      assert.deepEqual(basketsClick, basketsDuck);
    });
  });

  test('rules --baskets-from holdings mines the same rules from the cluster as rules --warehouse holdings from the file', () => {
    const args = ['--min-support', '0.01', '--min-confidence', '0.1', '--format', 'csv'];
    const local = telmark(['--db', duckdb, 'rules', '--warehouse', 'holdings', ...args]);
    assert.equal(local.code, 0, local.stderr);
    const onCluster = telmark(['--warehouse', url, 'rules', '--baskets-from', 'holdings', ...args]);
    assert.equal(onCluster.code, 0, onCluster.stderr);
    assert.ok(local.stdout.trim().split('\n').length > 2, local.stdout);
    assert.equal(onCluster.stdout, local.stdout);
  });

  test('train --models churn fits the same model and writes the same scores, each on its shard, replaced on a re-run', async () => {
    const args = ['--seed', '3', '--force-write', '--format', 'json'];
    const local = telmark(['--db', duckdb, 'train', '--warehouse', 'churn', ...args]);
    assert.equal(local.code, 0, local.stderr);
    const onCluster = telmark(['--warehouse', url, 'train', '--models', 'churn', ...args]);
    assert.equal(onCluster.code, 0, onCluster.stderr);
    const [a, b] = [JSON.parse(local.stdout), JSON.parse(onCluster.stdout)];
    assert.equal(b.model_version, a.model_version);
    assert.equal(b.auc, a.auc);
    assert.equal(b.logistic_baseline_auc, a.logistic_baseline_auc);
    assert.equal(b.rows, a.rows);
    assert.ok(a.scored > 1000);
    assert.equal(b.scored, a.scored);

    const version = String(a.model_version);
    const expected = await withWarehouse(duckdb, (w) =>
      w.one<{ n: number; total: number }>(
        'SELECT count(*) AS n, sum(score) AS total FROM mining_churn_scores WHERE model_version = ?',
        [version],
      ),
    );
    const scoresOnCluster = async () =>
      cluster.one<{ n: string; total: number }>(
        'SELECT toString(count()) AS n, sum(score) AS total FROM mining_churn_scores WHERE model_version = ?',
        [version],
      );
    const actual = await scoresOnCluster();
    assert.equal(Number(actual!.n), expected!.n);
    assert.ok(Math.abs(actual!.total - expected!.total) < 1e-9, `${actual!.total} vs ${expected!.total}`);
    // Every score to the bit (written in binary: 18.16 reads some doubles from text one ulp off).
    const [duckScores, clickScores] = [
      await withWarehouse(duckdb, (w) =>
        w.all<{ msisdn: string; score: number }>(
          'SELECT msisdn, score FROM mining_churn_scores WHERE model_version = ? ORDER BY msisdn',
          [version],
        ),
      ),
      await cluster.all<{ msisdn: string; score: number }>(
        'SELECT msisdn, score FROM mining_churn_scores WHERE model_version = ? ORDER BY msisdn',
        [version],
      ),
    ];
    assert.deepEqual(clickScores, duckScores);
    // The model row is on every shard, each score on the shard that holds its subscriber.
    for (const [index, shard] of cluster.shards.entries()) {
      const models = await cluster.allOn(shard, 'SELECT purpose FROM mining_models WHERE model_version = ?', [version]);
      assert.deepEqual(models, [{ purpose: 'churn' }]);
      const numbers = await cluster.allOn<{ msisdn: string }>(shard, 'SELECT msisdn FROM mining_churn_scores_local');
      assert.ok(numbers.length > 0);
      for (const { msisdn } of numbers) assert.equal(shardOf(msisdn, cluster.shards.length), index, msisdn);
    }

    // The same version again (in process: a third command start costs as much as the training).
    const again = await fitChurnModel(cluster, { clock: systemClock, seed: 3, model: 'gbdt', forceWrite: true });
    assert.equal(again.modelVersion, version);
    assert.equal(Number((await scoresOnCluster())!.n), expected!.n);
    assert.equal(
      Number(await cluster.scalar('SELECT count() FROM mining_models WHERE model_version = ?', [version])),
      1,
    );
  });

  test('train --models cross-sell writes the same rules, propensity scores and offers', async () => {
    const local = telmark(['--db', duckdb, 'train', '--warehouse', 'cross-sell', '--seed', '2', '--format', 'json']);
    assert.equal(local.code, 0, local.stderr);
    const onCluster = telmark([
      '--warehouse',
      url,
      'train',
      '--models',
      'cross-sell',
      '--seed',
      '2',
      '--format',
      'json',
    ]);
    assert.equal(onCluster.code, 0, onCluster.stderr);
    const [a, b] = [JSON.parse(local.stdout), JSON.parse(onCluster.stdout)];
    assert.equal(b.model_version, a.model_version);
    assert.deepEqual(b.propensities, a.propensities);
    assert.ok(a.offers > 0);
    assert.equal(b.offers, a.offers);
    const version = String(a.model_version);
    for (const [table, value] of [
      ['mining_rules', 'confidence'],
      ['mining_propensity_scores', 'score'],
      ['mining_offers', 'score'],
    ] as const) {
      const expected = await withWarehouse(duckdb, (w) =>
        w.one<{ n: number; total: number }>(
          `SELECT count(*) AS n, sum(${value}) AS total FROM ${table} WHERE model_version = ?`,
          [version],
        ),
      );
      const actual = await cluster.one<{ n: string; total: number }>(
        `SELECT toString(count()) AS n, sum(${value}) AS total FROM ${table} WHERE model_version = ?`,
        [version],
      );
      assert.ok(expected!.n > 0, table);
      // Every row to the bit, keyed by subscriber (and service, rank).
      const key: Record<string, string> = {
        mining_rules: 'lhs, rhs',
        mining_propensity_scores: 'msisdn, service_id',
        mining_offers: 'msisdn, offer_rank',
      };
      const [duckRows, clickRows] = [
        await withWarehouse(duckdb, (w) =>
          w.all(`SELECT ${key[table]}, ${value} FROM ${table} WHERE model_version = ? ORDER BY ${key[table]}`, [
            version,
          ]),
        ),
        await cluster.all(
          `SELECT ${key[table]}, ${value} FROM ${table} WHERE model_version = ? ORDER BY ${key[table]}`,
          [version],
        ),
      ];
      assert.deepEqual(
        clickRows.map((r) => ({ ...r, ...('offer_rank' in r ? { offer_rank: Number(r.offer_rank) } : {}) })),
        duckRows,
        table,
      );
      assert.equal(Number(actual!.n), expected!.n, table);
      assert.ok(Math.abs(actual!.total - expected!.total) < 1e-6, `${table}: ${actual!.total} vs ${expected!.total}`);
    }
    // The bundles analysis shows the mined rules from the cluster as from the file.
    const mined = (result: AnalysisResult) => result.sections.find((section) => section.id === 'mined')!.rows;
    const bundlesOnFile = mined(await withWarehouse(duckdb, (w) => runAnalysis(w, 'bundles', {})));
    assert.ok(bundlesOnFile.length > 0, 'the cross-sell model mined bundles');
    assert.deepEqual(mined(await runAnalysis(cluster, 'bundles', {})), bundlesOnFile);
  });

  test('train --models segments gives the same segments and writes their members', async () => {
    const args = ['--seed', '4', '--format', 'json'];
    const local = telmark(['--db', duckdb, 'train', '--warehouse', 'segments', ...args]);
    assert.equal(local.code, 0, local.stderr);
    const onCluster = telmark(['--warehouse', url, 'train', '--models', 'segments', ...args]);
    assert.equal(onCluster.code, 0, onCluster.stderr);
    const [a, b] = [JSON.parse(local.stdout), JSON.parse(onCluster.stdout)];
    assert.deepEqual(b.segments, a.segments);
    assert.equal(b.members, a.members);
    assert.ok(a.members > 1000);
    const members = await cluster.all<{ segment: string; n: string }>(
      'SELECT segment, toString(count()) AS n FROM mining_segment_members WHERE model_version = ? GROUP BY segment ORDER BY segment',
      [String(b.modelVersion)],
    );
    assert.deepEqual(
      members.map((m) => [m.segment, Number(m.n)]),
      [...a.segments]
        .sort((x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : 1))
        .map((s: { name: string; size: number }) => [s.name, s.size]),
    );
  });

  test('audience conditions on model scores select the same members on the cluster as on DuckDB', async () => {
    const latest = async (purpose: string) =>
      String(
        (await cluster.one<{ v: string }>(
          'SELECT argMax(model_version, trained_at) AS v FROM mining_models WHERE purpose = ?',
          [purpose],
        ))!.v,
      );
    const [churn, crossSell] = [await latest('churn'), await latest('cross-sell')];
    const definitions = [
      { score: 'churn', modelVersion: churn, atLeast: 0.05 },
      { score: 'churn', modelVersion: churn, top: 100 },
      { score: 'propensity', modelVersion: crossSell, service: 'music', top: 50 },
      {
        all: [
          { score: 'propensity', modelVersion: crossSell, service: 'im', atLeast: 0.01 },
          { not: { score: 'churn', modelVersion: churn, top: 200 } },
          { attribute: 'brand', in: ['mzone', 'easyown'] },
        ],
      },
    ];
    await withWarehouse(duckdb, async (file) => {
      for (const definition of definitions) {
        const expected = await previewAudience(file, definition);
        assert.ok(expected.size > 0, `${JSON.stringify(definition)} selects someone`);
        assert.deepEqual(await previewAudience(cluster, definition), expected, JSON.stringify(definition));
        assert.deepEqual(
          await audienceMembers(cluster, definition as never),
          await audienceMembers(file, definition as never),
        );
      }
    });
  });

  /** Numbers spread over the base (ordered by a hash), with at least one holding a model offer. */
  async function sampleNumbers(count: number): Promise<string[]> {
    return withWarehouse(duckdb, async (w) => {
      const spread = await w.all<{ msisdn: string }>(
        'SELECT msisdn FROM customer_facts ORDER BY hash(msisdn) LIMIT ?',
        [count - 2],
      );
      const offered = await w.all<{ msisdn: string }>('SELECT min(msisdn) AS msisdn FROM mining_offers');
      const closed = await w.all<{ msisdn: string }>(
        "SELECT min(msisdn) AS msisdn FROM customer_facts WHERE status = 'closed'",
      );
      return [...spread, ...offered, ...closed].map((r) => r.msisdn);
    });
  }

  test('the profile of many customers is the same JSON with the facts on the cluster (after the models above)', async () => {
    const clock = fixedClock('2026-04-01T00:00:00Z');
    const numbers = await sampleNumbers(24);
    let scored = 0;
    let modelOffers = 0;
    const [facts, file] = [await Warehouse.open(duckdb), await Warehouse.open(state)];
    try {
      for (const msisdn of numbers) {
        const expected = await readCustomerProfile(facts, msisdn, { clock });
        const actual = await readCustomerProfile(file, msisdn, { clock, facts: cluster });
        assert.deepEqual(actual, expected, msisdn);
        if (expected.churn.source === 'model') scored++;
        if (expected.offers.some((o) => o.source === 'model')) modelOffers++;
      }
    } finally {
      facts.close();
      file.close();
    }
    assert.ok(scored > 0, 'some profiles show a churn score');
    assert.ok(modelOffers > 0, 'some profiles show model offers');
    // The state file holds no facts: the answers cannot have come from it.
    assert.equal(await withWarehouse(state, (w) => w.scalar('SELECT count(*) FROM customer_facts')), 0);
  });

  test('telmark customer answers the same on the cluster and audits the view in the --db file', async () => {
    for (const msisdn of (await sampleNumbers(3)).slice(0, 1)) {
      const local = telmark(['--db', duckdb, 'customer', msisdn, '--format', 'json']);
      assert.equal(local.code, 0, local.stderr);
      const onCluster = telmark(['--db', state, '--warehouse', url, 'customer', msisdn, '--format', 'json']);
      assert.equal(onCluster.code, 0, onCluster.stderr);
      assert.deepEqual(JSON.parse(onCluster.stdout), JSON.parse(local.stdout), msisdn);
      const audited = await withWarehouse(state, (w) =>
        w.all<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_log WHERE target = ?', [
          `msisdn=${msisdn}`,
        ]),
      );
      assert.deepEqual(audited, [{ action: 'customer.view', outcome: '200' }]);
    }
    const unknown = telmark(['--db', state, '--warehouse', url, 'customer', '13999999999']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no subscriber with the number 13999999999/);
  });

  test('GET /api/customers/:msisdn answers the same JSON from the cluster for an agent and an analyst, masked alike', async () => {
    const facts = await Warehouse.open(duckdb);
    const file = await Warehouse.open(state);
    const common = { host: '127.0.0.1', port: 0, webRoot: null, logLevel: 'silent' } as const;
    const servers: RunningServer[] = [];
    try {
      const onDuckDb = await startServer({ ...common, warehouse: facts });
      servers.push(onDuckDb);
      const onClickHouse = await startServer({ ...common, warehouse: file, facts: cluster });
      servers.push(onClickHouse);
      for (const role of ['agent', 'analyst'] as const) {
        const held = role === 'agent' ? (['agent'] as const) : ([...roles] as const);
        const [duckAuth, clickAuth] = [await bearerFor(facts, role, [...held]), await bearerFor(file, role, [...held])];
        for (const msisdn of await sampleNumbers(5)) {
          const path = `/api/customers/${msisdn}`;
          const expected = await fetch(`${onDuckDb.url}${path}`, { headers: duckAuth });
          const actual = await fetch(`${onClickHouse.url}${path}`, { headers: clickAuth });
          assert.equal(expected.status, 200, path);
          assert.equal(actual.status, 200, `${path}: ${await actual.clone().text()}`);
          assert.deepEqual(await actual.json(), await expected.json(), `${role} ${path}`);
        }
      }
      const missing = await fetch(`${onClickHouse.url}/api/customers/13999999999`, {
        headers: await bearerFor(file, 'agent', ['agent']),
      });
      assert.equal(missing.status, 404);
      const views = await file.scalar("SELECT count(*) FROM audit_log WHERE action = 'GET /api/customers/:msisdn'");
      assert.ok(views >= 10, `${views} views audited in the file`);
    } finally {
      for (const server of servers) await server.close();
      facts.close();
      file.close();
    }
  });
});
