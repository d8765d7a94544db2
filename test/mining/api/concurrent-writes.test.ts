// Requests that write at the same time each get their own transaction: three churn trainings, a
// cross-sell training and a burst of rule edits, all fired together, all succeed (or a clear 409).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/api/server.ts';
import { fitCrossSellModels } from '../../../src/mining/telecom/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { miningDemoWarehouse } from '../telecom/demo-operator-fixture.ts';
import { testAccess } from '../../access/test-access.ts';

describe('concurrent writes', () => {
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

  it('never share a transaction: trainings and rule edits fired together all land', async () => {
    const fence = await app.inject({
      method: 'PUT',
      url: '/api/stream/geofences/east',
      payload: { name: '东源', county: ['东源'] },
    });
    assert.equal(fence.statusCode, 200, fence.body);
    const churns = [1, 2, 1].map((seed) =>
      app.inject({ method: 'POST', url: '/api/mining/churn', payload: { model: 'logistic', seed } }),
    );
    const crossSell = fitCrossSellModels(warehouse, { clock });
    const edits = Array.from({ length: 6 }, (_, i) =>
      app.inject({
        method: 'PUT',
        url: '/api/stream/rules/east-hello',
        payload: { where: { geofences: ['east'], on: 'enter' }, message: { text: `东源欢迎你 ${i}` }, control: 0 },
      }),
    );
    const responses = await Promise.all([...churns, ...edits]);
    const crossSellResult = await crossSell;
    for (const response of responses) {
      if (response.statusCode === 409) assert.equal(response.json().error.code, 'WRITE_CONFLICT');
      else assert.equal(response.statusCode, 200, response.body);
    }
    assert.ok(
      responses.filter((r) => r.statusCode === 200).length >= responses.length - 1,
      'at most one clear refusal',
    );
    // Every edit was read, bumped and saved on its own: six edits, six versions.
    const versions = responses
      .slice(churns.length)
      .filter((r) => r.statusCode === 200)
      .map((r) => r.json().version as number)
      .sort((a, b) => a - b);
    assert.deepEqual(
      versions,
      Array.from({ length: versions.length }, (_, i) => i + 1),
    );
    const models = (await app.inject('/api/mining/models')).json().models as { model_version: string }[];
    const churnVersions = new Set(responses.slice(0, churns.length).map((r) => r.json().modelVersion as string));
    for (const version of [...churnVersions, crossSellResult.modelVersion])
      assert.ok(
        models.some((m) => m.model_version === version),
        `model ${version} is stored`,
      );
    // The warehouse is usable afterwards: no transaction left open or aborted.
    assert.equal((await app.inject('/api/stream/rules')).statusCode, 200);
    assert.ok((await warehouse.scalar('SELECT count(*) FROM mining_churn_scores')) > 0);
  });
});
