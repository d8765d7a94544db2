// The token and session checks kept for a few seconds (issue 15): a kept answer spares the read, and
// nothing that takes a token's or a session's power away waits for the lifetime — revocation, signing
// out, disabling and new roles through the server's own API act on the very next request, and a kept
// session check never outlives the session's idle or absolute end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  createAccount,
  createApiToken,
  findAccount,
  forgetTokenChecks,
  makePrincipal,
  openSession,
  resolveApiToken,
  resumeSession,
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

  test('a kept session check is used within its lifetime, and never past the idle end', async () => {
    const limits = { idleMs: 60_000, absoluteMs: 3_600_000 };
    const cache = new TokenCheckCache(clock, { lifetimeMs: 5000 });
    await createAccount(warehouse, clock, { username: 'sia', password, roles: ['agent'] });
    const sia = (await findAccount(warehouse, 'sia'))!;
    const { sessionId } = await openSession(warehouse, clock, sia.userId, '127.0.0.1', limits);
    assert.equal((await resumeSession(warehouse, clock, sessionId, limits, cache))?.username, 'sia');
    // Removed behind the module's back: the kept answer holds for its lifetime, a plain check does not.
    await warehouse.run('DELETE FROM sessions WHERE user_id = ?', [sia.userId]);
    assert.equal((await resumeSession(warehouse, clock, sessionId, limits, cache))?.username, 'sia');
    assert.equal(await resumeSession(warehouse, clock, sessionId, limits), undefined);
    clock.advance(5001);
    assert.equal(await resumeSession(warehouse, clock, sessionId, limits, cache), undefined);

    const long = new TokenCheckCache(clock, { lifetimeMs: 3_600_000 });
    const second = await openSession(warehouse, clock, sia.userId, '127.0.0.1', limits);
    assert.ok(await resumeSession(warehouse, clock, second.sessionId, limits, long));
    clock.advance(59_000);
    assert.ok(await resumeSession(warehouse, clock, second.sessionId, limits, long));
    clock.advance(1001); // idle for more than the minute since the last read that counted
    assert.equal(await resumeSession(warehouse, clock, second.sessionId, limits, long), undefined);
  });

  test('signing out, or disabling the user, ends a session on the very next request', async () => {
    await createAccount(warehouse, clock, { username: 'kai', password, roles: ['analyst'] });
    const signIn = async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'kai', password },
      });
      assert.equal(response.statusCode, 200, response.body);
      return {
        cookie: String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '',
        csrf: response.json().csrfToken as string,
      };
    };
    const asSession = (cookie: string) => app.inject({ url: '/api/metrics', headers: { cookie } });
    const first = await signIn();
    assert.equal((await asSession(first.cookie)).statusCode, 200);
    assert.equal((await asSession(first.cookie)).statusCode, 200);
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: first.cookie, 'x-csrf-token': first.csrf },
    });
    assert.ok(out.statusCode < 300, `sign-out answered ${out.statusCode}`);
    assert.equal((await asSession(first.cookie)).statusCode, 401);

    const second = await signIn();
    assert.equal((await asSession(second.cookie)).statusCode, 200);
    assert.equal((await admin('POST', '/api/access/users/kai/disable')).statusCode, 200);
    assert.equal((await asSession(second.cookie)).statusCode, 401);
  });
});
