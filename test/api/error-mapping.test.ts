// Errors keep their meaning over HTTP: impossible input is a 400 from validation before any SQL, an
// internal failure is a 500 with a request id and nothing of the SQL or stack, and 403, 404, 413 and
// 415 stay what they are.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import { runAnalysis } from '../../src/analysis/index.ts';
import { queryMetric } from '../../src/metrics/index.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { testAccess } from '../access/test-access.ts';

describe('error mapping', () => {
  let dir: string;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  const log: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telmark-errors-'));
    // An empty warehouse: any request that got as far as SQL would answer 409 WAREHOUSE_EMPTY.
    warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    app = await buildServer({
      warehouse,
      webRoot: null,
      access: testAccess,
      logLevel: 'error',
      logStream,
      extraRoutes: [
        async (scope, deps) => {
          scope.get('/api/test/broken-query', { config: { right: 'kpi.read' } }, async () =>
            deps.warehouse.all('SELECT secret_column FROM no_such_table'),
          );
          scope.get('/api/test/forbidden', { config: { right: 'kpi.read' } }, async () => {
            throw Object.assign(new Error('not for you'), { statusCode: 403 });
          });
        },
      ],
    });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an impossible date with a 400 before any SQL, on the KPI and analysis routes alike', async () => {
    for (const url of [
      '/api/kpi/orders?from=2026-02-30',
      '/api/kpi/orders?to=2026-13-01',
      '/api/analysis/overview?from=2026-02-30',
      '/api/analysis/effect?cutover=2025-02-29',
    ]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
      assert.equal(response.json().error.code, 'INPUT_INVALID', url);
    }
    const leap = await app.inject('/api/kpi/orders?from=2024-02-29');
    assert.equal(leap.statusCode, 409, 'a real day passes validation and meets the empty warehouse');
  });

  it('refuses impossible dates in the domain too, before the catalogue is read', async () => {
    for (const run of [
      () => queryMetric(warehouse, 'orders', { from: '2026-02-30' }),
      () => runAnalysis(warehouse, 'overview', { from: '2026-02-30' }),
      () => runAnalysis(warehouse, 'overview', { to: '2026-04-31' }),
    ]) {
      await assert.rejects(run(), (error) => isAppError(error) && error.code === 'INPUT_INVALID');
    }
  });

  it('refuses an impossible date on the command line as a usage error', () => {
    for (const args of [
      ['kpi', 'orders', '--from', '2026-02-30'],
      ['analyze', 'overview', '--to', '2026-02-30'],
    ]) {
      const result = spawnSync(process.execPath, ['bin/telmark.js', '--db', join(dir, 'cli.duckdb'), ...args], {
        encoding: 'utf8',
      });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /2026-02-30.*not a day of the calendar/);
    }
  });

  it('refuses seed=1e400 with a 400', async () => {
    const response = await app.inject('/api/mining/segments?seed=1e400');
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.code, 'INPUT_INVALID');
  });

  it('answers an internal failure with a 500 and a request id, the details going to the log only', async () => {
    const response = await app.inject('/api/test/broken-query');
    assert.equal(response.statusCode, 500);
    const error = response.json().error;
    assert.equal(error.code, 'INTERNAL');
    assert.ok(error.requestId, 'a request id to quote');
    assert.equal(response.headers['x-request-id'], error.requestId);
    assert.doesNotMatch(response.body, /SELECT|no_such_table|secret_column|\.ts:\d+|at /);
    const logged = log.join('');
    assert.match(logged, /no_such_table/);
    assert.match(logged, new RegExp(`"reqId":"${error.requestId}"`));
  });

  it('keeps 403, 404, 413 and 415', async () => {
    const forbidden = await app.inject('/api/test/forbidden');
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().error.code, 'FORBIDDEN');
    const missing = await app.inject('/api/no-such-route');
    assert.equal(missing.statusCode, 404);
    assert.ok(missing.json().error.requestId);
    const tooLarge = await app.inject({
      method: 'POST',
      url: '/api/mining/churn',
      headers: { 'content-type': 'application/json' },
      payload: `{"model":"${'x'.repeat(2_000_000)}"}`,
    });
    assert.equal(tooLarge.statusCode, 413);
    assert.equal(tooLarge.json().error.code, 'PAYLOAD_TOO_LARGE');
    const wrongType = await app.inject({
      method: 'POST',
      url: '/api/mining/churn',
      headers: { 'content-type': 'application/xml' },
      payload: '<model>gbdt</model>',
    });
    assert.equal(wrongType.statusCode, 415);
    assert.equal(wrongType.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
