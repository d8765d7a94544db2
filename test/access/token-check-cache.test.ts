// The token check kept for a few seconds (issue 15): a kept answer spares the read, and nothing that takes
// a token's power away waits for the lifetime — revocation, disabling and new roles through the server's
// own API act on the very next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  createAccount,
  createApiToken,
  forgetTokenChecks,
  makePrincipal,
  resolveApiToken,
  TokenCheckCache,
} from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

const password = 'correct-horse-battery';

describe('the token check cache', () => {
  const clock = fixedClock('2026-05-01T09:00:00Z');
  let warehouse: Warehouse;
  let app: FastifyInstance;
  let adminToken: string;

  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    await createAccount(warehouse, clock, { username: 'root', password, roles: ['admin'] });
    await createAccount(warehouse, clock, { username: 'ana', password, roles: ['analyst', 'agent'] });
    adminToken = (await createApiToken(warehouse, clock, { username: 'root' })).token;
    app = await buildServer({ warehouse, clock, webRoot: null, readers: 0 });
  });
  after(async () => {
    await app.close();
    warehouse.close();
  });

  const ask = (token: string, url = '/api/metrics') =>
    app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  const admin = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${adminToken}` }, ...(payload ? { payload } : {}) });

  test('a kept check is used within its lifetime and read again after it', async () => {
    const cache = new TokenCheckCache(clock, { lifetimeMs: 5000 });
    const { token, info } = await createApiToken(warehouse, clock, { username: 'ana' });
    assert.ok(await resolveApiToken(warehouse, clock, token, cache));
    // Revoked behind the module's back (as another process could): the kept answer still holds…
    await warehouse.run('UPDATE api_tokens SET revoked_ms = 1 WHERE token_id = ?', [info.tokenId]);
    assert.equal((await resolveApiToken(warehouse, clock, token, cache))?.username, 'ana');
    assert.equal(await resolveApiToken(warehouse, clock, token), undefined);
    // …until its lifetime is over.
    clock.advance(5001);
    assert.equal(await resolveApiToken(warehouse, clock, token, cache), undefined);
  });

  test("a kept check ends at the token's expiry, whatever the lifetime", async () => {
    const cache = new TokenCheckCache(clock, { lifetimeMs: 60_000 });
    const { token } = await createApiToken(warehouse, clock, { username: 'ana', lifetimeMs: 60_000 });
    assert.ok(await resolveApiToken(warehouse, clock, token, cache));
    clock.advance(59_000);
    assert.ok(await resolveApiToken(warehouse, clock, token, cache));
    clock.advance(1000);
    assert.equal(await resolveApiToken(warehouse, clock, token, cache), undefined);
  });

  test('a change made while a check is read keeps its answer out of the cache', async () => {
    const cache = new TokenCheckCache(clock);
    const principal = makePrincipal({ userId: 1, username: 'ana', roles: ['agent'] }, 'token');
    const generation = TokenCheckCache.generation();
    forgetTokenChecks();
    cache.set('hash', principal, clock.nowMs() + 60_000, generation);
    assert.equal(cache.get('hash'), undefined);
    cache.set('hash', principal, clock.nowMs() + 60_000, TokenCheckCache.generation());
    assert.equal(cache.get('hash'), principal);
    forgetTokenChecks();
    assert.equal(cache.get('hash'), undefined);
  });

  test('revoking a token through the API refuses it on the very next request', async () => {
    const { token, info } = await createApiToken(warehouse, clock, { username: 'ana' });
    assert.equal((await ask(token)).statusCode, 200);
    assert.equal((await ask(token)).statusCode, 200);
    assert.equal((await admin('DELETE', `/api/access/tokens/${info.tokenId}`)).statusCode, 204);
    assert.equal((await ask(token)).statusCode, 401);
  });

  test('disabling the user, or taking a role, acts on the very next request', async () => {
    const { token } = await createApiToken(warehouse, clock, { username: 'ana' });
    assert.equal((await ask(token)).statusCode, 200);
    assert.equal((await admin('PUT', '/api/access/users/ana/roles', { roles: ['agent'] })).statusCode, 200);
    assert.equal((await ask(token)).statusCode, 403);
    assert.equal((await admin('PUT', '/api/access/users/ana/roles', { roles: ['analyst', 'agent'] })).statusCode, 200);
    assert.equal((await ask(token)).statusCode, 200);
    assert.equal((await admin('POST', '/api/access/users/ana/disable')).statusCode, 200);
    assert.equal((await ask(token)).statusCode, 401);
  });
});
