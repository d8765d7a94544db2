// The HTTP contract of signing in (POST/GET/DELETE /api/session), CSRF, the Host allow-list, session
// expiry on a fixed clock, login throttling, token expiry and revocation, and the audit rows they leave.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  createAccount,
  createApiToken,
  listAudit,
  revokeApiToken,
  setDisabled,
  verifyAuditChain,
} from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

const password = 'correct-horse-battery';

describe('sessions, CSRF, hosts, throttling and tokens', () => {
  const clock = fixedClock('2026-05-01T09:00:00Z');
  let warehouse: Warehouse;
  let app: FastifyInstance;

  async function signIn(username: string, from = '127.0.0.1') {
    const response = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, password },
      remoteAddress: from,
    });
    const cookie = String(response.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    return { response, cookie, csrf: response.statusCode === 200 ? (response.json().csrfToken as string) : '' };
  }

  before(async () => {
    warehouse = await Warehouse.open(':memory:');
    for (const [username, roles] of [
      ['mia', ['campaign_manager']],
      ['ana', ['analyst']],
      ['tom', ['admin']],
      ['zed', ['analyst']],
    ] as const)
      await createAccount(warehouse, clock, { username, password, roles: [...roles] });
    app = await buildServer({
      warehouse,
      clock,
      webRoot: null,
      readers: 0,
      access: {
        allowedHosts: ['telmark.example'],
        sessionLimits: { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 },
        throttleLimits: { windowMs: 15 * 60_000, perUser: 3, perAddress: 6 },
      },
    });
  });
  after(async () => {
    await app.close();
    warehouse.close();
  });

  test('sign in sets an HttpOnly SameSite=Strict cookie; GET /api/session answers user, roles, csrfToken', async () => {
    const { response, cookie, csrf } = await signIn('mia');
    assert.equal(response.statusCode, 200);
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const me = await app.inject({ url: '/api/session', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user, 'mia');
    assert.deepEqual(me.json().roles, ['campaign_manager']);
    assert.equal(me.json().csrfToken, csrf);
    assert.ok(csrf.length >= 32);
    assert.equal((await app.inject({ url: '/api/stream/rules', headers: { cookie } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/session' })).statusCode, 401);
  });

  test('bad credentials are 401 and audited; sign-out ends the session', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'mia', password: 'nope' },
    });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'AUTH_REQUIRED');
    const { cookie, csrf } = await signIn('mia');
    const forgedOut = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    assert.equal(forgedOut.statusCode, 403); // signing someone out needs the CSRF token too
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(out.statusCode, 204);
    assert.equal((await app.inject({ url: '/api/stream/rules', headers: { cookie } })).statusCode, 401);
    const actions = (await listAudit(warehouse, { actor: 'mia' })).map((r) => `${r.action}:${r.outcome}`);
    assert.ok(actions.includes('login:failed'));
    assert.ok(actions.includes('login:ok'));
    assert.ok(actions.includes('logout:ok'));
  });

  test('a cross-origin text/plain POST is refused and changes nothing; the same with the CSRF header works', async () => {
    const { cookie, csrf } = await signIn('mia');
    const put = await app.inject({
      method: 'PUT',
      url: '/api/stream/rules/r1',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: {
        name: 'station',
        when: { event: 'call_out', peer: ['12580'] },
        where: { area_type: ['station'] },
        message: 'hello',
      },
    });
    assert.ok(put.statusCode < 500, put.body);
    const forged = await app.inject({
      method: 'POST',
      url: '/api/stream/rules/r1/pause',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: 'x',
    });
    assert.equal(forged.statusCode, 403);
    const noHeader = await app.inject({
      method: 'POST',
      url: '/api/stream/rules/r1/pause',
      headers: { cookie, 'content-type': 'text/plain' },
      payload: 'x',
    });
    assert.equal(noHeader.statusCode, 403);
    assert.match(noHeader.json().error.message, /x-csrf-token/);
    const withHeader = await app.inject({
      method: 'POST',
      url: '/api/stream/rules/r1/pause',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.notEqual(withHeader.statusCode, 403);
    assert.notEqual(withHeader.statusCode, 401);
    const audited = await listAudit(warehouse, { actor: 'mia', action: 'POST /api/stream/rules/:id/pause' });
    assert.deepEqual(
      audited.map((r) => r.outcome),
      [String(withHeader.statusCode), '403', '403'],
    );
  });

  test('bearer tokens need no CSRF header; a foreign Host header is refused', async () => {
    const { token } = await createApiToken(warehouse, clock, { username: 'ana' });
    const authorization = `Bearer ${token}`;
    const churnBad = await app.inject({
      method: 'POST',
      url: '/api/mining/churn',
      headers: { authorization },
      payload: { model: 'nope' },
    });
    assert.equal(churnBad.statusCode, 400); // past access control, stopped by validation
    const foreign = await app.inject({ url: '/api/health', headers: { host: 'rebind.attacker.example' } });
    assert.equal(foreign.statusCode, 403);
    assert.equal((await app.inject({ url: '/api/health', headers: { host: 'telmark.example:8080' } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/health', headers: { host: '127.0.0.1:8080' } })).statusCode, 200);
  });

  test('sessions end after the idle time and after the absolute time, however active', async () => {
    const idle = await signIn('zed');
    clock.advance(29 * 60_000);
    assert.equal((await app.inject({ url: '/api/session', headers: { cookie: idle.cookie } })).statusCode, 200);
    clock.advance(29 * 60_000);
    assert.equal((await app.inject({ url: '/api/session', headers: { cookie: idle.cookie } })).statusCode, 200);
    clock.advance(31 * 60_000);
    assert.equal((await app.inject({ url: '/api/session', headers: { cookie: idle.cookie } })).statusCode, 401);

    const busy = await signIn('zed');
    for (let hour = 0; hour < 8; hour += 1) {
      clock.advance(20 * 60_000);
      assert.equal((await app.inject({ url: '/api/metrics', headers: { cookie: busy.cookie } })).statusCode, 200);
      clock.advance(20 * 60_000);
      assert.equal((await app.inject({ url: '/api/metrics', headers: { cookie: busy.cookie } })).statusCode, 200);
      clock.advance(20 * 60_000);
      const answer = await app.inject({ url: '/api/metrics', headers: { cookie: busy.cookie } });
      assert.equal(answer.statusCode, hour < 7 ? 200 : 401, `hour ${hour + 1}`);
    }
  });

  test('failed sign-ins are throttled per user (429), even with the right password, until the window passes', async () => {
    for (let i = 0; i < 3; i += 1) {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'tom', password: `wrong-${i}` },
        remoteAddress: '10.0.0.7',
      });
      assert.equal(bad.statusCode, 401);
    }
    const throttled = await signIn('tom', '10.0.0.8');
    assert.equal(throttled.response.statusCode, 429);
    assert.equal(throttled.response.json().error.code, 'TOO_MANY_REQUESTS');
    assert.ok(Number(throttled.response.headers['retry-after']) > 0);
    clock.advance(16 * 60_000);
    assert.equal((await signIn('tom', '10.0.0.8')).response.statusCode, 200);
    const outcomes = (await listAudit(warehouse, { actor: 'tom', action: 'login' })).map((r) => r.outcome);
    assert.deepEqual(outcomes, ['ok', 'throttled', 'failed', 'failed', 'failed']);
  });

  test('failed sign-ins are throttled per address across user names', async () => {
    for (let i = 0; i < 6; i += 1) {
      await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: `guess${i}`, password: 'x' },
        remoteAddress: '10.9.9.9',
      });
    }
    assert.equal((await signIn('ana', '10.9.9.9')).response.statusCode, 429);
    assert.equal((await signIn('ana', '10.9.9.10')).response.statusCode, 200);
  });

  test('tokens stop at their expiry, on revocation, and when their user is disabled', async () => {
    const expiring = await createApiToken(warehouse, clock, { username: 'ana', lifetimeMs: 60 * 60_000 });
    const revoked = await createApiToken(warehouse, clock, { username: 'ana' });
    const ask = (token: string) => app.inject({ url: '/api/metrics', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await ask(expiring.token)).statusCode, 200);
    assert.equal((await ask(revoked.token)).statusCode, 200);
    await revokeApiToken(warehouse, clock, revoked.info.tokenId);
    assert.equal((await ask(revoked.token)).statusCode, 401);
    clock.advance(61 * 60_000);
    assert.equal((await ask(expiring.token)).statusCode, 401);
    assert.equal((await ask(`${expiring.token}x`)).statusCode, 401);
    const fresh = await createApiToken(warehouse, clock, { username: 'ana' });
    assert.equal((await ask(fresh.token)).statusCode, 200);
    await setDisabled(warehouse, 'ana', true);
    assert.equal((await ask(fresh.token)).statusCode, 401);
    await setDisabled(warehouse, 'ana', false);
  });

  test('rights changes through the API are audited with the roles granted, and the chain holds', async () => {
    const { token } = await createApiToken(warehouse, clock, { username: 'tom' });
    const authorization = `Bearer ${token}`;
    const added = await app.inject({
      method: 'POST',
      url: '/api/access/users',
      headers: { authorization },
      payload: { username: 'newbie', roles: ['agent'] },
    });
    assert.equal(added.statusCode, 200, added.body);
    assert.ok(added.json().password.length >= 12);
    const changed = await app.inject({
      method: 'PUT',
      url: '/api/access/users/newbie/roles',
      headers: { authorization },
      payload: { roles: ['agent', 'oncall'] },
    });
    assert.equal(changed.statusCode, 200);
    const rows = await listAudit(warehouse, { actor: 'tom' });
    const change = rows.find((r) => r.action === 'PUT /api/access/users/:name/roles');
    assert.ok(change);
    assert.equal(change.target, 'name=newbie');
    assert.deepEqual(JSON.parse(change.detail).roles, ['agent', 'oncall']);
    assert.ok(rows.some((r) => r.action === 'POST /api/access/users' && JSON.parse(r.detail).user === 'newbie'));
    const audit = await app.inject({ url: '/api/audit?limit=5', headers: { authorization } });
    assert.equal(audit.statusCode, 200);
    assert.equal(audit.json().chain.ok, true);
    assert.equal(audit.json().rows.length, 5);
    assert.equal((await verifyAuditChain(warehouse)).ok, true);
  });
});
