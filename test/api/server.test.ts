import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import { AppError } from '../../src/shared/errors.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { testAccess } from '../access/test-access.ts';

describe('HTTP server skeleton', () => {
  let warehouse: Warehouse;
  let app: FastifyInstance;
  let webRoot: string;

  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    webRoot = mkdtempSync(join(tmpdir(), 'telmark-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>dash</title>');
    writeFileSync(join(webRoot, 'app.js'), 'console.log(1)');
    app = await buildServer({
      warehouse,
      webRoot,
      access: testAccess,
      extraRoutes: [
        async (scope) => {
          scope.get('/api/test/fail', { config: { right: 'kpi.read' } }, async () => {
            throw new AppError('WAREHOUSE_LOCKED', 'held by pid 7', {
              location: { file: 'x.duckdb' },
              hint: 'stop it',
            });
          });
          scope.get(
            '/api/test/echo',
            {
              config: { right: 'kpi.read' },
              schema: {
                querystring: {
                  type: 'object',
                  properties: { n: { type: 'integer', minimum: 1 } },
                  required: ['n'],
                  additionalProperties: false,
                },
              },
            },
            async (request) => ({ n: (request.query as { n: number }).n }),
          );
        },
      ],
    });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  test('health answers with the data range of an empty warehouse', async () => {
    const response = await app.inject('/api/health');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(
      { ...response.json<Record<string, unknown>>(), time: 'x' },
      { status: 'ok', time: 'x', firstDay: null, lastDay: null },
    );
  });

  test('an AppError becomes its HTTP status with code, message, location and hint', async () => {
    const response = await app.inject('/api/test/fail');
    assert.equal(response.statusCode, 503);
    const { requestId, ...error } = response.json().error;
    assert.deepEqual(error, {
      code: 'WAREHOUSE_LOCKED',
      message: 'held by pid 7',
      location: { file: 'x.duckdb' },
      hint: 'stop it',
    });
    assert.equal(requestId, response.headers['x-request-id']);
  });

  test('invalid input is a 400 naming the field', async () => {
    const missing = await app.inject('/api/test/echo');
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'INPUT_INVALID');
    assert.equal(missing.json().error.location.field, 'n');
    const bad = await app.inject('/api/test/echo?n=zero');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /querystring/);
    assert.equal((await app.inject('/api/test/echo?n=3')).json().n, 3);
  });

  test('unknown API paths are JSON 404s, other paths fall back to the single-page app', async () => {
    const api = await app.inject('/api/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'NOT_FOUND');
    const page = await app.inject('/analysis/tariff?region=x');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>dash<\/title>/);
    const asset = await app.inject('/app.js');
    assert.equal(asset.body, 'console.log(1)');
  });

  test('the OpenAPI document lists the routes', async () => {
    const response = await app.inject('/api/docs/json');
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.match(document.openapi, /^3\./);
    assert.ok(document.paths['/api/health']);
    const ui = await app.inject('/api/docs');
    assert.ok([200, 302].includes(ui.statusCode));
  });
});
