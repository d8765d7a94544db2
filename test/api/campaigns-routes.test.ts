// The campaign routes with real accounts: maker–checker over HTTP, the content validated with the
// field named, a pilot and its evaluation with the fields of `telmark campaign evaluate`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { bearerFor } from '../access/test-access.ts';
import { campaignDeps, deliverAll, openCampaignWarehouse } from '../campaigns/campaign-fixture.ts';

const content = {
  name: '彩铃 pilot',
  service: 'music',
  message: { text: '彩铃首月免费' },
  audience: { all: [] },
  schedule: { start: '2026-04-01' },
  pilot: { share: 0.5 },
};

describe('campaign routes', () => {
  let warehouse: Warehouse;
  let app: FastifyInstance;
  let maker: { authorization: string };
  let makerApprover: { authorization: string };
  let checker: { authorization: string };
  let analyst: { authorization: string };
  const { clock } = campaignDeps();
  before(async () => {
    warehouse = await openCampaignWarehouse(400);
    app = await buildServer({ warehouse, clock, webRoot: null });
    maker = await bearerFor(warehouse, 'maker', ['campaign_manager'], clock);
    makerApprover = await bearerFor(warehouse, 'both', ['campaign_manager', 'approver'], clock);
    checker = await bearerFor(warehouse, 'checker', ['approver'], clock);
    analyst = await bearerFor(warehouse, 'analyst1', ['analyst'], clock);
  });
  after(async () => {
    await app.close();
    warehouse.close();
  });

  const post = (url: string, headers: { authorization: string }, payload: unknown = {}) =>
    app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

  it('creates a draft from JSON content and names a bad field', async () => {
    const bad = await post('/api/campaigns', maker, { ...content, schedule: { start: 'April' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'INPUT_INVALID');
    assert.equal(bad.json().error.location.field, 'schedule.start');
    assert.equal((await post('/api/campaigns', analyst, content)).statusCode, 403, 'an analyst may only read');
    const created = await post('/api/campaigns', maker, content);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().campaign.status, 'draft');
    assert.equal(created.json().campaign.createdBy, 'maker');
  });

  it('lets neither the maker nor a maker holding the approver right approve; a second user does', async () => {
    const id = (await post('/api/campaigns', makerApprover, content)).json().campaign.id as string;
    assert.equal((await post(`/api/campaigns/${id}/approve`, maker)).statusCode, 403);
    const own = await post(`/api/campaigns/${id}/approve`, makerApprover);
    assert.equal(own.statusCode, 403);
    assert.match(own.json().error.message, /cannot also approve/);
    const ok = await post(`/api/campaigns/${id}/approve`, checker);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().campaign.approvedBy, 'checker');
    // An edit of the text sends it back to draft.
    const edited = await app.inject({
      method: 'PUT',
      url: `/api/campaigns/${id}`,
      headers: maker,
      payload: { ...content, message: { text: '新文案' } },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().campaign.status, 'draft');
  });

  it('runs a pilot and answers the evaluation with the fields of the command', async () => {
    const id = (await post('/api/campaigns', maker, content)).json().campaign.id as string;
    assert.equal((await post(`/api/campaigns/${id}/pilot`, maker)).statusCode, 400, 'not approved yet');
    await post(`/api/campaigns/${id}/approve`, checker);
    const pilot = await post(`/api/campaigns/${id}/pilot`, maker);
    assert.equal(pilot.statusCode, 200, pilot.body);
    assert.ok(pilot.json().round.contacted > 100);
    await deliverAll(warehouse, id, '2026-04-01 10:05:00');
    const evaluation = await app.inject({ method: 'GET', url: `/api/campaigns/${id}/evaluation`, headers: analyst });
    assert.equal(evaluation.statusCode, 200, evaluation.body);
    const e = evaluation.json();
    for (const field of [
      'contacted',
      'control',
      'responders_contacted',
      'responders_control',
      'uplift',
      'ci_low',
      'ci_high',
      'p_value',
      'rules',
    ])
      assert.ok(field in e, field);
    assert.equal(e.contacted, pilot.json().round.queued);
    const list = await app.inject({ method: 'GET', url: '/api/campaigns?status=pilot', headers: analyst });
    assert.deepEqual(
      list.json().campaigns.map((c: { id: string }) => c.id),
      [id],
    );
    const shown = await app.inject({ method: 'GET', url: `/api/campaigns/${id}`, headers: analyst });
    assert.deepEqual(
      shown.json().changes.map((c: { action: string }) => c.action),
      ['create', 'approve', 'pilot'],
    );
    const cancelled = await post(`/api/campaigns/${id}/cancel`, maker, { reason: 'test' });
    assert.equal(cancelled.json().campaign.status, 'cancelled');
    assert.equal((await app.inject({ method: 'GET', url: '/api/campaigns/C9999', headers: analyst })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/api/campaigns/x;drop', headers: analyst })).statusCode, 400);
  });

  it('pauses and resumes over HTTP with campaigns.write; an analyst cannot', async () => {
    const id = (await post('/api/campaigns', maker, content)).json().campaign.id as string;
    await post(`/api/campaigns/${id}/approve`, checker);
    const queued = (await post(`/api/campaigns/${id}/pilot`, maker)).json().round.queued as number;
    assert.equal((await post(`/api/campaigns/${id}/pause`, analyst)).statusCode, 403);
    const paused = await post(`/api/campaigns/${id}/pause`, maker, { reason: '文案有误' });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json().held, queued);
    assert.equal(paused.json().campaign.paused.by, 'maker');
    const shown = await app.inject({ method: 'GET', url: `/api/campaigns/${id}`, headers: analyst });
    assert.equal(shown.json().pauses.length, 1);
    const evaluation = await app.inject({ method: 'GET', url: `/api/campaigns/${id}/evaluation`, headers: analyst });
    assert.equal(evaluation.statusCode, 200, 'the evaluation stays readable while paused');
    assert.equal((await post(`/api/campaigns/${id}/pause`, maker)).statusCode, 400);
    assert.equal((await post(`/api/campaigns/${id}/resume`, analyst)).statusCode, 403);
    const resumed = await post(`/api/campaigns/${id}/resume`, maker);
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json().released, queued);
    assert.equal(resumed.json().campaign.paused, null);
  });
});
