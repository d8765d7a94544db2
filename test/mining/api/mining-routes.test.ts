import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/api/server.ts';
import { fitCrossSellModels } from '../../../src/mining/telecom/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { miningDemoWarehouse } from '../telecom/demo-operator-fixture.ts';
import { testAccess } from '../../access/test-access.ts';

describe('mining routes', () => {
  let fixture: Awaited<ReturnType<typeof miningDemoWarehouse>>;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  const clock = fixedClock('2026-04-02T08:00:00Z');
  before(async () => {
    fixture = await miningDemoWarehouse();
    warehouse = await fixture.open();
    app = await buildServer({ warehouse, webRoot: null, clock, access: testAccess });
  });
  after(async () => {
    await app?.close();
    warehouse?.close();
    fixture?.remove();
  });

  it('serves the rules explorer: held-together services sorted by lift', async () => {
    const response = await app.inject('/api/mining/rules?minSupport=0.01&minConfidence=0.2&maxLen=2');
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.ok(body.baskets > 1000);
    const first = body.rules[0];
    assert.deepEqual([first.lhs, first.rhs].sort(), ['game', 'video']);
    for (let i = 1; i < body.rules.length; i++) assert.ok(body.rules[i - 1].lift >= body.rules[i].lift);
    const bad = await app.inject('/api/mining/rules?minSupport=2');
    assert.equal(bad.statusCode, 400);
  });

  it('trains churn on a worker thread while other requests are answered, then lists the model', async () => {
    // Other requests are asked again and again until the training ends; each one answered before it
    // ended shows the server kept serving (no fixed sleep: a fast machine must pass too).
    let trained = false;
    const training = app
      .inject({ method: 'POST', url: '/api/mining/churn', payload: { model: 'gbdt' } })
      .finally(() => {
        trained = true;
      });
    let answeredWhileTraining = 0;
    while (!trained) {
      const meanwhile = await app.inject('/api/mining/models');
      assert.equal(meanwhile.statusCode, 200);
      if (!trained) answeredWhileTraining++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const response = await training;
    assert.equal(response.statusCode, 200, response.body);
    const churn = response.json();
    assert.ok(churn.auc > churn.baselineAuc);
    assert.ok(answeredWhileTraining >= 1, 'another request was answered while the model trained');
    const models = (await app.inject('/api/mining/models')).json().models;
    assert.equal(models[0].model_version, churn.modelVersion);
    const report = (await app.inject(`/api/mining/models/${churn.modelVersion}`)).json();
    assert.equal(report.model.purpose, 'churn');
    assert.ok(report.evaluation.roc.length > 10);
    assert.equal(report.evaluation.gain.length, 10);
    assert.ok(report.evaluation.importance.length > 5);
    assert.equal((await app.inject('/api/mining/models/nope')).statusCode, 404);
  });

  it('closing the server stops a churn training under way: 503 interrupted, nothing written', async () => {
    const closing = await buildServer({ warehouse, webRoot: null, clock, access: testAccess, readers: 0 });
    const before = await warehouse.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM mining_models');
    // Closed once the request is past its access checks, so that the training itself is what stops.
    let handling!: () => void;
    const handled = new Promise<void>((resolve) => {
      handling = resolve;
    });
    closing.addHook('preHandler', async (request) => {
      if (request.url === '/api/mining/churn') handling();
    });
    const training = closing.inject({
      method: 'POST',
      url: '/api/mining/churn',
      payload: { model: 'forest', seed: 7 },
    });
    await handled;
    await closing.close();
    const response = await training;
    assert.equal(response.statusCode, 503, response.body);
    assert.equal(response.json().error.code, 'INTERRUPTED', response.body);
    const afterClose = await warehouse.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM mining_models');
    assert.equal(afterClose[0]!.n, before[0]!.n);
  });

  it('serves segment profiles with their distinguishing features', async () => {
    const response = await app.inject('/api/mining/segments?k=3');
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.k, 3);
    assert.equal(
      body.segments.reduce((sum: number, s: { size: number }) => sum + s.size, 0),
      body.rows,
    );
    assert.ok(body.segments.every((s: { description: string }) => s.description.length > 0));
  });

  it("serves a subscriber's offers from the latest cross-sell model", async () => {
    const result = await fitCrossSellModels(warehouse, { clock });
    const msisdn = result.offers[0]!.msisdn;
    const response = await app.inject(`/api/mining/offers/${msisdn}`);
    assert.equal(response.statusCode, 200);
    const offers = response.json().offers;
    assert.ok(offers.length >= 1 && offers.length <= 3);
    assert.equal(offers[0].model_version, result.modelVersion);
    assert.equal((await app.inject('/api/mining/offers/123')).statusCode, 400);
  });
});
