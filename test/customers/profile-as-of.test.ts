// The profile is as of the last complete day (metrics/complete-days.ts), not the last loaded one: a
// day that brings orders only (the demo campaigns' answers, a feed that comes late) leaves the windows,
// the tenure and the activity where they were, while its orders show at once in the customer's services.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readCustomerProfile } from '../../src/customers/index.ts';
import { loadCompleteDays } from '../../src/metrics/index.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { customerFixture, interestingSubscribers } from './customer-fixture.ts';

const clock = fixedClock('2026-04-02T02:00:00Z');

describe('the profile is as of the last complete day', () => {
  let fixture: DemoFixture;
  let warehouse: Warehouse;
  let ordersDir: string;
  before(async () => {
    ({ fixture, warehouse } = await customerFixture());
    ordersDir = mkdtempSync(join(tmpdir(), 'telmark-as-of-'));
  });
  after(() => {
    warehouse.close();
    fixture.remove();
    rmSync(ordersDir, { recursive: true, force: true });
  });

  test('an orders-only day after the data moves neither asOf nor the windows, and its orders show', async () => {
    const { busy: msisdn } = await interestingSubscribers(warehouse);
    const before = await readCustomerProfile(warehouse, msisdn!, { clock });
    const { lastCompleteDay } = await loadCompleteDays(warehouse);
    assert.equal(before.asOf, lastCompleteDay);

    // The next day brings one order file: this customer takes a service not held and cancels one held.
    const next = new Date(Date.parse(`${before.asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const catalogue = await warehouse.all<{ service_id: string }>('SELECT service_id FROM services ORDER BY 1');
    const heldNow = before.services.filter((s) => s.held).map((s) => s.serviceId);
    const taken = catalogue.map((s) => s.service_id).find((id) => !heldNow.includes(id));
    const dropped = heldNow[0];
    assert.ok(taken && dropped, 'the customer holds a service and lacks another');
    const day = next.replaceAll('-', '');
    writeFileSync(
      join(ordersDir, `orders_${day}.csv`),
      [
        'order_id,ts,msisdn,service_id,action,channel,trial,confirmed,campaign_id',
        `OASOF${day}1,${next} 10:00:00,${msisdn},${taken},subscribe,sms,0,1,`,
        `OASOF${day}2,${next} 11:00:00,${msisdn},${dropped},unsubscribe,sms,0,1,`,
      ].join('\n'),
    );
    const summary = await loadDirectory(warehouse, ordersDir, { clock });
    assert.equal(summary.rowsLoaded, 2, JSON.stringify(summary.files));
    const days = await loadCompleteDays(warehouse);
    assert.equal(days.lastCompleteDay, before.asOf);
    assert.deepEqual(days.incompleteDays, [next]);

    const after = await readCustomerProfile(warehouse, msisdn!, { clock });
    assert.equal(after.asOf, before.asOf, 'asOf stays the last complete day');
    assert.deepEqual(after.activity30d, before.activity30d);
    assert.deepEqual(after.usage, before.usage);
    assert.deepEqual(after.tenure, before.tenure);
    assert.deepEqual(after.churn.reasons, before.churn.reasons);
    const ordered = after.services.find((s) => s.serviceId === taken && s.startedOn === next);
    assert.equal(ordered?.held, true, 'the new order is held');
    const cancelled = after.services.find((s) => s.serviceId === dropped && s.endedOn === next);
    assert.equal(cancelled?.held, false, 'the cancelled service is no longer held');
    assert.ok(!after.offers.some((o) => o.serviceId === taken || o.serviceId === dropped), 'neither is offered');
  });
});
