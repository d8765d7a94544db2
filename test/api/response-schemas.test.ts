// Routes that declare a response schema answer exactly what their domain function returns: fastify
// serialises with the schema, so a field the schema forgot would silently vanish from the answer (and
// from the page that reads it), and a null where the schema says "string" would become "".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAccounts, listApiTokens, listAudit } from '../../src/access/index.ts';
import { buildServer } from '../../src/api/server.ts';
import { describeMetrics } from '../../src/metrics/index.ts';
import { listModels, readOffers } from '../../src/mining/telecom/index.ts';
import { listRewards } from '../../src/stream/index.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor, testAccess } from '../access/test-access.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

describe('answers serialised by their response schemas', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    // One reward not yet exported (export_batch null) and one exported, so both shapes are seen.
    await warehouse.run(
      `INSERT INTO stream_rewards (reward_id, rule_id, rule_version, msisdn, offer_id, kind, amount, description, behaviour,
         count, offered_at, reached_at, granted_at, status, export_batch)
       VALUES ('o1:reward', 'station-query-credit', 1, '13800138000', 'o1', 'credit', 5, '查询 12580 五次送 5 元话费',
         'call_out 12580', 5, TIMESTAMP '2026-03-30 09:00:00', TIMESTAMP '2026-03-30 15:00:00',
         TIMESTAMP '2026-03-30 15:00:01', 'pending', NULL),
              ('o2:reward', 'station-query-credit', 1, '13800138001', 'o2', 'credit', 2.5, '查询 12580 五次送 2.5 元话费',
         'call_out 12580', 5, TIMESTAMP '2026-03-30 10:00:00', TIMESTAMP '2026-03-30 16:00:00',
         TIMESTAMP '2026-03-30 16:00:01', 'exported', 'boss-rewards-1')`,
    );
    app = await buildServer({ warehouse, webRoot: null, access: testAccess });
    // A token (note null, not revoked) and a user, so the lists hold nullable fields.
    await bearerFor(warehouse, 'schema-reader', ['analyst']);
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  test('the KPI catalogue is the metrics layer’s own, and carries no formula', async () => {
    const answer = await app.inject('/api/metrics');
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), describeMetrics());
    assert.ok(!answer.body.includes('variants'));
  });

  test('the rewards list keeps every field, a null export batch stays null', async () => {
    const answer = await app.inject('/api/stream/rewards');
    assert.equal(answer.statusCode, 200);
    const direct = await listRewards(warehouse);
    // Phone numbers are masked for this caller; everything else is as the domain returned it.
    const masked = direct.rewards.map((r) => ({ ...r, msisdn: `${r.msisdn.slice(0, 3)}****${r.msisdn.slice(7)}` }));
    assert.deepEqual(answer.json(), { rewards: masked, byRule: direct.byRule });
    assert.equal(
      answer.json().rewards.find((r: { reward_id: string }) => r.reward_id === 'o1:reward').export_batch,
      null,
    );
  });

  test('the model list and a subscriber’s offers keep every field, a missing AUC stays null', async () => {
    await warehouse.run(
      `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json)
       VALUES ('churn-1', 'churn', 'gbdt', TIMESTAMP '2026-03-30 08:00:00', 1200, 0.81, 0.74, 'holdout', '{}'),
              ('cross-sell-1', 'cross-sell', 'gbdt+rules', TIMESTAMP '2026-03-30 09:00:00', 1200, NULL, NULL, 'holdout', '{}')`,
    );
    await warehouse.run(
      `INSERT INTO mining_offers (msisdn, offer_rank, service_id, score, propensity, rule_confidence, reason, model_version)
       VALUES ('13800138000', 1, 'crbt', 0.4, 0.3, 0.45, 'propensity 30.0 %', 'cross-sell-1')`,
    );
    const models = await app.inject('/api/mining/models');
    assert.equal(models.statusCode, 200);
    assert.deepEqual(models.json(), await listModels(warehouse));
    assert.equal(models.json().models.find((m: { kind: string }) => m.kind === 'gbdt+rules').auc, null);

    const offers = await app.inject('/api/mining/offers/13800138000');
    assert.equal(offers.statusCode, 200);
    assert.deepEqual(offers.json(), { offers: await readOffers(warehouse, '13800138000') });
    assert.equal(offers.json().offers.length, 1);
  });

  test('users, tokens and the audit log keep every field and no secret', async () => {
    const users = await app.inject('/api/access/users');
    assert.equal(users.statusCode, 200);
    assert.deepEqual(users.json(), { users: await listAccounts(warehouse) });
    assert.ok(!/password_hash|salt/.test(users.body));

    const tokens = await app.inject('/api/access/tokens');
    assert.deepEqual(tokens.json(), { tokens: await listApiTokens(warehouse) });
    assert.equal(tokens.json().tokens[0].note, null);
    assert.equal(tokens.json().tokens[0].revokedAt, null);

    const audit = await app.inject('/api/audit?limit=5');
    assert.equal(audit.statusCode, 200);
    assert.equal(audit.json().chain.ok, true);
    // The audit rows name the numbers looked at (the offers above), masked for this caller.
    const mask = (text: string) => text.replace(/\b(\d{3})\d{4}(\d{4})\b/g, '$1****$2');
    const rows = (await listAudit(warehouse, { limit: 5 })).map((r) => ({ ...r, target: mask(r.target) }));
    assert.deepEqual(audit.json().rows, rows);
  });
});
