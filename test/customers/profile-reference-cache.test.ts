// The reads every profile shares (catalogue, latest models and rules, recent alerts), kept by the API for a
// short lifetime: a profile read through the cache is the same profile, and what changed shows once the
// lifetime has passed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProfileReferenceCache, readCustomerProfile } from '../../src/customers/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { customerFixture, interestingSubscribers } from './customer-fixture.ts';

const clock = fixedClock('2026-04-01T02:00:00Z');

describe('profile references kept for a lifetime', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let chosen: Record<string, string>;
  before(async () => {
    ({ fixture, warehouse } = await customerFixture());
    chosen = await interestingSubscribers(warehouse);
    await warehouse.run('DELETE FROM mining_models');
  });
  after(() => {
    warehouse.close();
    fixture.remove();
  });

  test('a profile read through the cache is the profile read without it', async () => {
    const references = new ProfileReferenceCache({ lifetimeMs: 60_000 });
    for (const msisdn of Object.values(chosen)) {
      const plain = await readCustomerProfile(warehouse, msisdn, { clock });
      const cached = await readCustomerProfile(warehouse, msisdn, { clock, references });
      assert.deepEqual(cached, plain, msisdn);
    }
  });

  test('a new model shows once the lifetime has passed, not before', async () => {
    let now = 0;
    const references = new ProfileReferenceCache({ lifetimeMs: 2000, nowMs: () => now });
    const msisdn = chosen.busy!;
    const first = await readCustomerProfile(warehouse, msisdn, { clock, references });
    assert.equal(first.churn.source, 'rules');
    await warehouse.run(
      `INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json)
       VALUES ('churn-cache', 'churn', 'gbdt', TIMESTAMP '2026-03-31 01:00:00', 1, 0.8, 0.6, 'test', '{}')`,
    );
    await warehouse.run(
      `INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES (?, 0.42, 'churn-cache')`,
      [msisdn],
    );
    now = 1999;
    const kept = await readCustomerProfile(warehouse, msisdn, { clock, references });
    assert.equal(kept.churn.source, 'rules', 'within the lifetime the kept references are used');
    now = 2000;
    const fresh = await readCustomerProfile(warehouse, msisdn, { clock, references });
    assert.deepEqual([fresh.churn.source, fresh.churn.score, fresh.churn.modelVersion], ['model', 0.42, 'churn-cache']);
    assert.deepEqual(fresh, await readCustomerProfile(warehouse, msisdn, { clock }));
  });
});
