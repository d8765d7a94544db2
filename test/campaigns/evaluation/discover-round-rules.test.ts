// Rule discovery on a round must not depend on the order its rows arrive in: the same pilot gave
// "age < 25" on one run and "age < 41" on the next while the samples came from a query without ORDER BY.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discoverRoundRules } from '../../../src/campaigns/evaluation/discover-round-rules.ts';
import type { OutcomeRow } from '../../../src/campaigns/evaluation/round-outcomes.ts';
import { hashFraction } from '../../../src/shared/hash-fraction.ts';
import type { Warehouse } from '../../../src/warehouse/index.ts';
import { msisdnOf, openCampaignWarehouse } from '../campaign-fixture.ts';

const SUBSCRIBERS = 6000;

describe('uplift rules of a round', () => {
  let warehouse: Warehouse;
  let rows: OutcomeRow[];
  before(async () => {
    warehouse = await openCampaignWarehouse(SUBSCRIBERS);
    // Birth years cycle 1970…2009 (campaign-fixture): the campaign works only for the 15 youngest years.
    rows = Array.from({ length: SUBSCRIBERS }, (_, i) => {
      const msisdn = msisdnOf(i);
      const young = 1970 + (i % 40) >= 1995;
      const treated = hashFraction(`grp|${msisdn}`) < 0.5;
      const rate = treated && young ? 0.4 : 0.05;
      return {
        msisdn,
        grp: treated ? 'contacted' : 'control',
        county: '源城',
        brand: 'mzone',
        age: 2026 - (1970 + (i % 40)),
        responded_after_days: hashFraction(`resp|${msisdn}`) < rate ? 1 : null,
        cancelled: false,
      };
    });
  });
  after(() => warehouse.close());

  it('finds the same rules however the rows are ordered', async () => {
    const first = await discoverRoundRules(warehouse, rows);
    assert.ok(first && first.rules.length > 0, 'the planted young group is found');
    assert.ok(
      first.rules.every((r) => JSON.stringify(r.conditions).includes('age')),
      first.rules.map((r) => r.text.en).join('; '),
    );
    for (const order of ['reversed', 'shuffled', 'shuffled again'] as const) {
      const other =
        order === 'reversed'
          ? [...rows].reverse()
          : [...rows].sort((a, b) => hashFraction(`${order}|${a.msisdn}`) - hashFraction(`${order}|${b.msisdn}`));
      const again = await discoverRoundRules(warehouse, other);
      assert.deepEqual(again?.rules, first.rules, order);
      assert.deepEqual(again?.byRule, first.byRule, order);
    }
  });
});
