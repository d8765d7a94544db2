// Every route of the server for every role, walked from the route table itself so a new route cannot
// be forgotten: allowed (any answer but 401/403) when one of the role's rights is the route's right,
// 403 otherwise, and 401 without credentials unless the route is public.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roleRights, roles } from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { AppError } from '../../src/shared/errors.ts';
import { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor, samplePath } from './test-access.ts';

describe('route × role', () => {
  let warehouse: Warehouse;
  let app: FastifyInstance;

  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    app = await buildServer({ warehouse, webRoot: null, readers: 0 });
    await app.ready();
  });
  after(async () => {
    await app.close();
    warehouse.close();
  });

  test('the route table holds every API route with a known right', () => {
    const api = app.routeRights.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    assert.ok(api.length >= 30, `only ${api.length} routes`);
    assert.ok(api.some((r) => r.method === 'PUT' && r.url === '/api/stream/rules/:id' && r.right === 'rules.write'));
    assert.ok(api.some((r) => r.url === '/api/mining/offers/:msisdn' && r.right === 'customer.view'));
    assert.ok(api.some((r) => r.url === '/api/health' && r.right === 'public'));
  });

  test('each role is allowed exactly the routes of its rights; no credentials is 401', async () => {
    const routes = app.routeRights.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD',
    );
    const headersOf = new Map<string, { authorization: string }>();
    for (const role of roles) headersOf.set(role, await bearerFor(warehouse, `only-${role.replace('_', '-')}`, [role]));
    const wrong: string[] = [];
    let asked = 0;
    for (const route of routes) {
      // An invalid body keeps allowed state-changing requests from changing anything: they stop at validation.
      const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : { 'not-a-field': true };
      const ask = (headers: Record<string, string>) =>
        app.inject({ method: route.method as 'GET', url: samplePath(route.url), headers, payload });
      const anonymous = await ask({});
      if (route.right !== 'public' && anonymous.statusCode !== 401)
        wrong.push(`${route.method} ${route.url} without credentials: ${anonymous.statusCode}`);
      for (const role of roles) {
        const response = await ask(headersOf.get(role) ?? {});
        asked += 1;
        const allowed = route.right === 'public' || (roleRights[role] as readonly string[]).includes(route.right);
        const status = response.statusCode;
        if (allowed ? status === 401 || status === 403 : status !== 403)
          wrong.push(`${route.method} ${route.url} as ${role}: ${status} (${allowed ? 'allowed' : 'forbidden'})`);
        if (status === 403) assert.equal(response.json().error.code, 'FORBIDDEN');
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(asked >= routes.length * roles.length);
  });

  test('a route without a right refuses to start the server', async () => {
    const other = await Warehouse.open(':memory:');
    try {
      await assert.rejects(
        buildServer({
          warehouse: other,
          webRoot: null,
          readers: 0,
          extraRoutes: [
            async (scope) => {
              scope.get('/api/forgotten', async () => ({ open: true }));
            },
          ],
        }),
        (error: unknown) =>
          error instanceof AppError && error.code === 'CONFIG_INVALID' && /\/api\/forgotten/.test(error.message),
      );
    } finally {
      other.close();
    }
  });
});
