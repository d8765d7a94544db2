// `telmark serve` with the facts on a real 2-shard ClickHouse 18.16 cluster: the same generated operator
// loaded into a DuckDB file and into the cluster; a server on the file and a server on the cluster
// (with an empty DuckDB file as its operational store) answer the KPI and carried analysis routes with
// the same JSON; users, tokens and the state routes come from the file; routes that read facts not
// carried over refuse with WAREHOUSE_UNSUPPORTED (501) instead of answering from the empty file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { roles } from '../../src/access/index.ts';
import { type RunningServer, startServer } from '../../src/api/start-server.ts';
import { ClickHouseWarehouse } from '../../src/warehouse/clickhouse/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor, testAccess } from '../access/test-access.ts';
import { clickhouseSkip, clusterWithFeeds, telmark } from './cluster-cli.ts';

/** Routes whose answers must be the same JSON on both engines. */
const sameOnBoth = [
  '/api/health',
  '/api/dimensions',
  '/api/kpi/subscribers?by=month,county',
  '/api/kpi/active_rate?by=week&brand=mzone',
  '/api/kpi/revenue?by=plan',
  '/api/kpi/penetration?by=service&county=源城,龙川',
  '/api/analysis/overview',
  '/api/analysis/effect?cutover=2026-03-04',
  '/api/analysis/sms-forward?grain=week&county=源城',
  '/api/analysis/composition',
  '/api/analysis/area-view?area_type=station',
  '/api/analysis/channels',
  '/api/analysis/activity',
  '/api/analysis/ivr-menus',
  '/api/analysis/bundles',
  '/api/analysis/trial-stickiness',
  // The outbox from the state file (empty in both here; a full one in clickhouse-campaign.test.ts).
  '/api/analysis/marketing?brand=mzone',
];

describe('telmark serve on a 2-shard ClickHouse cluster (real clickhouse-server)', {
  skip: clickhouseSkip,
  timeout: 900_000,
}, () => {
  let folder = '';
  let url = '';
  let factsFile: Warehouse;
  let stateFile: Warehouse;
  let cluster: ClickHouseWarehouse;
  let onDuckDb: RunningServer;
  let onClickHouse: RunningServer;
  let auth: { authorization: string };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'telmark-ch-serve-'));
    const duckdb = join(folder, 'facts.duckdb');
    url = clusterWithFeeds(
      folder,
      { subscribers: 800, days: 7, signallingPerSub: 4 },
      { duckdb, stateFile: join(folder, 'state-at-load.duckdb') },
    ).url;
    factsFile = await Warehouse.open(duckdb);
    stateFile = await Warehouse.open(join(folder, 'state.duckdb'));
    cluster = await ClickHouseWarehouse.open(url, { readOnly: true });
    const common = { host: '127.0.0.1', port: 0, webRoot: null, logLevel: 'silent' } as const;
    onDuckDb = await startServer({ ...common, warehouse: factsFile, access: testAccess });
    // No actAs here: every request signs in with a token of a user kept in the state file.
    onClickHouse = await startServer({ ...common, warehouse: stateFile, facts: cluster });
    auth = await bearerFor(stateFile, 'analyst', [...roles]);
  });

  after(async () => {
    await onDuckDb?.close();
    await onClickHouse?.close();
    factsFile?.close();
    stateFile?.close();
    if (folder) {
      telmark(['cluster', 'down', '--folder', join(folder, 'nodes')]);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  const get = async (server: RunningServer, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${encodeURI(path)}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('the KPI and carried analysis routes answer the same JSON from ClickHouse as from the file', async () => {
    for (const path of sameOnBoth) {
      const expected = await get(onDuckDb, path);
      assert.equal(expected.status, 200, `${path} on DuckDB: ${JSON.stringify(expected.body)}`);
      const actual = await get(onClickHouse, path, auth);
      assert.equal(actual.status, 200, `${path} on ClickHouse: ${JSON.stringify(actual.body)}`);
      if (path === '/api/health') {
        assert.deepEqual({ ...actual.body, time: '' }, { ...expected.body, time: '' }, path);
        assert.match(String(actual.body.lastDay), /^2026-03-\d\d$/);
      } else assert.deepEqual(actual.body, expected.body, path);
    }
    // The state file holds no facts: the answers above cannot have come from it.
    assert.equal(await stateFile.scalar('SELECT count(*) FROM subscribers'), 0);
  });

  test('a second identical request is kept until the cluster loads something new', async () => {
    const path = '/api/kpi/orders?by=channel';
    const first = await fetch(`${onClickHouse.url}${path}`, { headers: auth });
    const second = await fetch(`${onClickHouse.url}${path}`, { headers: auth });
    assert.equal(first.headers.get('x-telmark-cache'), 'miss');
    assert.equal(second.headers.get('x-telmark-cache'), 'hit');
    assert.deepEqual(await second.json(), await first.json());
  });

  test('routes that read facts not carried over refuse with 501 WAREHOUSE_UNSUPPORTED; the analyses not carried too', async () => {
    // Every route that still declares `facts: 'duckdb-only'` (each of the others answers on the cluster).
    const refusing: { method: 'GET' | 'POST'; path: string; body?: unknown }[] = [
      { method: 'GET', path: '/api/audiences/catalogue' },
      { method: 'GET', path: '/api/mining/rules' },
      { method: 'GET', path: '/api/mining/models' },
      { method: 'GET', path: '/api/mining/models/v1' },
      { method: 'GET', path: '/api/mining/segments' },
      { method: 'GET', path: '/api/mining/offers/13800138000' },
      { method: 'POST', path: '/api/mining/churn', body: {} },
      {
        method: 'POST',
        path: '/api/customers/13800138000/outcomes',
        body: { serviceId: '12580', outcome: 'accepted' },
      },
      { method: 'GET', path: '/api/stream/effect' },
      { method: 'POST', path: '/api/stream/model-results/reload' },
    ];
    for (const { method, path, body: sent } of refusing) {
      const response = await fetch(`${onClickHouse.url}${path}`, {
        method,
        headers: sent === undefined ? auth : { ...auth, 'content-type': 'application/json' },
        ...(sent === undefined ? {} : { body: JSON.stringify(sent) }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 501, `${method} ${path}: ${JSON.stringify(body)}`);
      const error = body.error as { code: string; message: string; hint?: string };
      assert.equal(error.code, 'WAREHOUSE_UNSUPPORTED', path);
      assert.match(error.message, /does not run on the ClickHouse warehouse yet/, path);
    }
    // The access check comes first: without credentials it is a 401, not a hint about the engine.
    assert.equal((await get(onClickHouse, '/api/mining/segments')).status, 401);
    // The same routes on the file answer (or fail for their own reasons), never with this code.
    const onFile = await get(onDuckDb, '/api/audiences/catalogue');
    assert.equal(onFile.status, 200);
  });

  test('users, audit and state routes are served from the file beside the cluster', async () => {
    const campaigns = await get(onClickHouse, '/api/campaigns', auth);
    assert.equal(campaigns.status, 200, JSON.stringify(campaigns.body));
    const alerts = await get(onClickHouse, '/api/alerts', auth);
    assert.equal(alerts.status, 200, JSON.stringify(alerts.body));
    const users = await get(onClickHouse, '/api/access/users', auth);
    assert.equal(users.status, 200, JSON.stringify(users.body));
    assert.ok(JSON.stringify(users.body).includes('analyst'));
    // A token unknown to the state file is refused, whatever the cluster holds.
    const stranger = await get(onClickHouse, '/api/kpi/subscribers', { authorization: 'Bearer tm_not-a-token' });
    assert.equal(stranger.status, 401);
    // Signing in with the password of the file's account works.
    const login = await fetch(`${onClickHouse.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: onClickHouse.url },
      body: JSON.stringify({ username: 'analyst', password: 'a-long-test-password' }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    assert.ok(
      (await stateFile.scalar(`SELECT count(*) FROM audit_log WHERE actor = 'analyst'`)) > 0,
      'the audit log of the file records the analyst',
    );
  });
});
