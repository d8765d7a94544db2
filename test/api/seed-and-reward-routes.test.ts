// The seed analyses and the rewards over HTTP: the area view's geofence and fields parameters, the
// rewards list, the BOSS file (masked for a role without full numbers, marking only through the POST
// that needs `msisdn.unmasked`, which no default role holds).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor, testAccess } from '../access/test-access.ts';
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';

describe('seed analysis and reward routes', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  before(async () => {
    fixture = await demoFixture();
    warehouse = await fixture.open();
    await warehouse.run(
      `INSERT INTO stream_rewards (reward_id, rule_id, rule_version, msisdn, offer_id, kind, amount, description, behaviour,
         count, offered_at, reached_at, granted_at, status)
       VALUES ('o1:reward', 'station-query-credit', 1, '13800138000', 'o1', 'credit', 5, '查询 12580 五次送 5 元话费',
         'call_out 12580', 5, TIMESTAMP '2026-03-30 09:00:00', TIMESTAMP '2026-03-30 15:00:00',
         TIMESTAMP '2026-03-30 15:00:01', 'pending')`,
    );
    app = await buildServer({ warehouse, webRoot: null, access: testAccess });
  });
  after(async () => {
    await app.close();
    warehouse.close();
    fixture.remove();
  });

  test('the area view takes the fields and a geofence; other analyses refuse them', async () => {
    const ok = await app.inject('/api/analysis/area-view?area_type=station&fields=callers,brands');
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(
      ok.json().sections.map((s: { id: string }) => s.id),
      ['brands', 'callers'],
    );
    const unknown = await app.inject('/api/analysis/area-view?geofence=nowhere');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.location.field, 'geofence');
    const elsewhere = await app.inject('/api/analysis/effect?fields=brands');
    assert.equal(elsewhere.statusCode, 400);
    const bad = await app.inject('/api/analysis/area-view?fields=brands;drop');
    assert.equal(bad.statusCode, 400);
    const menus = await app.inject('/api/analysis/ivr-menus?menu=life/weather&area_type=station');
    assert.equal(menus.statusCode, 200);
    for (const row of menus.json().sections.find((s: { id: string }) => s.id === 'county').rows)
      assert.equal(row.menu, 'life/weather');
  });

  test('the rewards list and the BOSS file; the marking export needs full numbers', async () => {
    const listed = await app.inject('/api/stream/rewards');
    assert.equal(listed.statusCode, 200);
    assert.equal(listed.json().rewards.length, 1);
    assert.equal(listed.json().byRule[0].amount_yuan, 5);

    // An analyst (no msisdn.unmasked) downloads a masked preview and may not mark.
    const analyst = await bearerFor(warehouse, 'ana', ['analyst']);
    const preview = await app.inject({ url: '/api/stream/rewards/export.csv', headers: analyst });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.headers['content-type'] as string, /text\/csv/);
    assert.match(preview.body, /^reward_id,msisdn,reward_type,amount_yuan,description,rule_id,reached_at,granted_at\n/);
    assert.match(preview.body, /138\*\*\*\*8000,CREDIT,5\.00/);
    const refused = await app.inject({ method: 'POST', url: '/api/stream/rewards/export', headers: analyst });
    assert.equal(refused.statusCode, 403);
    assert.equal((await app.inject('/api/stream/rewards?status=pending')).json().rewards.length, 1);

    // No default role sees full numbers (roles.ts), so the marking export stays with `telmark rewards
    // export` on the server until an operator grants a role with msisdn.unmasked.
    const admin = await bearerFor(warehouse, 'boss-export', ['admin', 'campaign_manager']);
    const stillRefused = await app.inject({ method: 'POST', url: '/api/stream/rewards/export', headers: admin });
    assert.equal(stillRefused.statusCode, 403);
    assert.equal((await app.inject('/api/stream/rewards?status=pending')).json().rewards.length, 1, 'nothing marked');
  });
});
