// The customer profile over HTTP with real access control: an agent sees the full number asked for
// and only that one; every other role gets 403; each view adds one audit row; outcomes land in the
// warehouse as responses; there is no list route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { verifyAuditChain } from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { bearerFor } from '../access/test-access.ts';
import { customerFixture, interestingSubscribers } from '../customers/customer-fixture.ts';

const clock = fixedClock('2026-03-31T02:00:00Z');
const viewAction = 'GET /api/customers/:msisdn';

describe('customer routes', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  let msisdn: string;
  let other: string;
  let agent: { authorization: string };
  before(async () => {
    ({ fixture, warehouse } = await customerFixture());
    msisdn = (await interestingSubscribers(warehouse)).busy!;
    other = (await warehouse.one<{ msisdn: string }>('SELECT msisdn FROM customer_facts WHERE msisdn <> ? LIMIT 1', [
      msisdn,
    ]))!.msisdn;
    // A campaign message that names another customer's number, and that customer's reply.
    await warehouse.run(
      `INSERT INTO channel_outbox (message_id, source, source_ref, kind, channel, recipient, subscriber, text, text_hash,
         status, queued_at, not_before, attempts, updated_at)
       VALUES ('campaign-c1-1', 'campaign', 'c1', 'marketing', 'sms', ?, ?, ?, 'h', 'delivered',
         TIMESTAMP '2026-03-29 10:00:00', TIMESTAMP '2026-03-29 10:00:00', 1, TIMESTAMP '2026-03-29 10:00:05')`,
      [msisdn, msisdn, `推荐好友 ${other} 办理彩铃`],
    );
    await warehouse.run(
      `INSERT INTO channel_responses (msisdn, text, received_at, message_id, opt_out)
       VALUES (?, 'TD', TIMESTAMP '2026-03-29 11:00:00', 'campaign-c1-1', TRUE)`,
      [msisdn],
    );
    await warehouse.run(
      `INSERT INTO channel_opt_outs (msisdn, since, via) VALUES (?, TIMESTAMP '2026-03-29 11:00:00', 'sms')`,
      [msisdn],
    );
    app = await buildServer({ warehouse, webRoot: null, clock, readers: 1 });
    agent = await bearerFor(warehouse, 'agent-li', ['agent']);
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  const views = () => warehouse.scalar('SELECT count(*) FROM audit_log WHERE action = ?', [viewAction]);

  test('an agent sees the profile with the full number asked for, and every other number masked', async () => {
    const before = await views();
    const response = await app.inject({ url: `/api/customers/${msisdn}`, headers: agent });
    assert.equal(response.statusCode, 200, response.body);
    const profile = response.json();
    assert.equal(profile.msisdn, msisdn);
    assert.ok(profile.brand.label.zh.length > 0);
    assert.equal(profile.contacts.length, 1);
    assert.match(profile.contacts[0].text, new RegExp(`${other.slice(0, 3)}\\*\\*\\*\\*${other.slice(7)}`));
    assert.ok(!response.body.includes(other), 'the other number is masked');
    const numbers = response.body.match(/(?<![\d.])1\d{10}(?!\d)/g) ?? [];
    assert.ok(numbers.length > 0 && numbers.every((n) => n === msisdn), 'only the number asked for is shown in full');
    assert.equal(profile.contactStatus.marketingAllowed, false);
    assert.match(profile.contactStatus.label.zh, /退订/);
    assert.ok(profile.responses.some((r: { kind: string }) => r.kind === 'reply'));
    assert.equal((await views()) - before, 1, 'one audit row per view');
    const row = (await warehouse.one<{ actor: string; target: string; outcome: string }>(
      'SELECT actor, target, outcome FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1',
      [viewAction],
    ))!;
    assert.deepEqual(row, { actor: 'agent-li', target: `msisdn=${msisdn}`, outcome: '200' });
    await app.inject({ url: `/api/customers/${msisdn}`, headers: agent });
    await app.inject({ url: `/api/customers/${other}`, headers: agent });
    assert.equal((await views()) - before, 3);
  });

  test('every role without customer.view gets 403, and there is no list route', async () => {
    for (const role of ['analyst', 'campaign_manager', 'approver', 'oncall', 'admin'] as const) {
      const headers = await bearerFor(warehouse, `user-${role}`, [role]);
      const response = await app.inject({ url: `/api/customers/${msisdn}`, headers });
      assert.equal(response.statusCode, 403, role);
      assert.ok(!response.body.includes(msisdn));
      const outcome = await app.inject({
        method: 'POST',
        url: `/api/customers/${msisdn}/outcomes`,
        headers,
        payload: { serviceId: 'crbt', outcome: 'accepted' },
      });
      assert.equal(outcome.statusCode, 403, role);
    }
    assert.equal((await app.inject({ url: '/api/customers', headers: agent })).statusCode, 404);
    const customerRoutes = app.routeRights.filter((r) => r.url.startsWith('/api/customers'));
    assert.deepEqual(customerRoutes.map((r) => `${r.method} ${r.url} ${r.right}`).sort(), [
      'GET /api/customers/:msisdn customer.view',
      'HEAD /api/customers/:msisdn customer.view',
      'POST /api/customers/:msisdn/outcomes customer.record',
    ]);
  });

  test('a malformed number is refused with what is wrong; an unknown one is a 404', async () => {
    const short = await app.inject({ url: '/api/customers/1380013800', headers: agent });
    assert.equal(short.statusCode, 400);
    assert.match(short.json().error.message, /10 digits; a mobile number has 11/);
    const letters = await app.inject({ url: '/api/customers/138001380ab', headers: agent });
    assert.equal(letters.statusCode, 400);
    assert.match(letters.json().error.message, /not digits/);
    const unknown = await app.inject({ url: '/api/customers/19999999999', headers: agent });
    assert.equal(unknown.statusCode, 404);
  });

  test('an outcome lands in customer_outcomes as a response and shows on the profile', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/customers/${msisdn}/outcomes`,
      headers: agent,
      payload: { serviceId: 'crbt', outcome: 'call_back', offerRank: 1, offerSource: 'rules' },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().label.zh, '稍后回电');
    const row = (await warehouse.one<Record<string, unknown>>(
      `SELECT msisdn, service_id, outcome, agent, CAST(recorded_at AS VARCHAR) AS at, source FROM customer_outcomes
       WHERE msisdn = ?`,
      [msisdn],
    ))!;
    assert.deepEqual(row, {
      msisdn,
      service_id: 'crbt',
      outcome: 'call_back',
      agent: 'agent-li',
      at: '2026-03-31 02:00:00',
      source: 'agent',
    });
    const response_ = (await warehouse.one<Record<string, unknown>>(
      'SELECT source, service_id, CAST(responded_at AS VARCHAR) AS at, accepted FROM customer_responses WHERE msisdn = ?',
      [msisdn],
    ))!;
    assert.deepEqual(response_, { source: 'agent', service_id: 'crbt', at: '2026-03-31 02:00:00', accepted: false });
    const bad = await app.inject({
      method: 'POST',
      url: `/api/customers/${msisdn}/outcomes`,
      headers: agent,
      payload: { serviceId: 'crbt', outcome: 'maybe' },
    });
    assert.equal(bad.statusCode, 400);
    const profile = (await app.inject({ url: `/api/customers/${msisdn}`, headers: agent })).json();
    assert.ok(
      profile.responses.some(
        (r: { kind: string; text: { zh: string } }) => r.kind === 'agent-outcome' && r.text.zh.includes('稍后回电'),
      ),
    );
  });

  test('concurrent views on one reader connection each answer their own customer, one audit row each', async () => {
    // The reader's statements are prepared once and shared: a request must never get another's rows.
    const numbers = (
      await warehouse.all<{ msisdn: string }>('SELECT msisdn FROM customer_facts ORDER BY msisdn LIMIT 12')
    ).map((r) => r.msisdn);
    const alone = new Map<string, string>();
    for (const n of [...numbers, msisdn])
      alone.set(n, (await app.inject({ url: `/api/customers/${n}`, headers: agent })).body);
    const before = await views();
    const asked = [...numbers, msisdn, ...numbers, msisdn];
    const answers = await Promise.all(asked.map((n) => app.inject({ url: `/api/customers/${n}`, headers: agent })));
    answers.forEach((response, i) => {
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.body, alone.get(asked[i]!), `the answer for ${asked[i]} is its own`);
    });
    assert.equal((await views()) - before, asked.length);
    assert.equal((await verifyAuditChain(warehouse)).ok, true);
  });
});
