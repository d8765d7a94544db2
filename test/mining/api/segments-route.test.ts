// /api/mining/segments runs its k-means in the mining worker (the server keeps answering) and keeps
// the result for the same parameters on the same data.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src/api/server.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { miningDemoWarehouse } from '../telecom/demo-operator-fixture.ts';
import { testAccess } from '../../access/test-access.ts';

describe('segments route', () => {
  let fixture: Awaited<ReturnType<typeof miningDemoWarehouse>>;
  let warehouse: Warehouse;
  let app: FastifyInstance;
  before(async () => {
    fixture = await miningDemoWarehouse();
    warehouse = await fixture.open();
    app = await buildServer({
      warehouse,
      webRoot: null,
      clock: fixedClock('2026-04-02T08:00:00Z'),
      access: testAccess,
    });
  });
  after(async () => {
    await app?.close();
    warehouse?.close();
    fixture?.remove();
  });

  it('keeps the event loop free while k-means runs, and answers health checks meanwhile', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    let done = false;
    // Silhouette over k = 2..8 on every subscriber: seconds of k-means.
    const segmenting = app.inject('/api/mining/segments?maxK=8&seed=7').finally(() => {
      done = true;
    });
    let healthWhileSegmenting = 0;
    while (!done) {
      const health = await app.inject('/api/health');
      assert.equal(health.statusCode, 200);
      if (!done) healthWhileSegmenting++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const response = await segmenting;
    const elapsedMs = performance.now() - started;
    delay.disable();
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['x-telmark-cache'], 'miss');
    const maxDelayMs = delay.max / 1e6;
    assert.ok(healthWhileSegmenting >= 1, 'health answered while segmenting');
    // On the main thread the whole clustering is one block: the loop would stall for most of the request.
    assert.ok(
      maxDelayMs < elapsedMs / 2,
      `event loop stalled ${maxDelayMs.toFixed(0)} ms during a ${elapsedMs.toFixed(0)} ms request`,
    );
    const body = response.json();
    assert.equal(
      body.segments.reduce((sum: number, s: { size: number }) => sum + s.size, 0),
      body.rows,
    );
  });

  it('keeps the result for the same parameters and data', async () => {
    const first = await app.inject('/api/mining/segments?k=3&seed=2');
    assert.equal(first.statusCode, 200, first.body);
    const started = performance.now();
    const second = await app.inject('/api/mining/segments?seed=2&k=3');
    const secondMs = performance.now() - started;
    assert.equal(second.headers['x-telmark-cache'], 'hit');
    assert.deepEqual(second.json(), first.json());
    assert.ok(secondMs < 500, `a kept answer took ${secondMs.toFixed(0)} ms`);
    const other = await app.inject('/api/mining/segments?k=4&seed=2');
    assert.equal(other.headers['x-telmark-cache'], 'miss');
    assert.equal(other.json().k, 4);
  });
});
