// The shared demo warehouse (test/analysis/demo-warehouse.ts) with its customer facts built: the
// shared fixture may have been loaded by a checkout whose loader did not build them yet.
import { type DemoFixture, demoFixture } from '../analysis/demo-warehouse.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { refreshCustomerFacts } from '../../src/warehouse/load/index.ts';

export async function customerFixture(): Promise<{ fixture: DemoFixture; warehouse: Warehouse }> {
  const fixture = await demoFixture();
  const warehouse = await fixture.open();
  await refreshCustomerFacts(warehouse);
  return { fixture, warehouse };
}

/** A few subscribers with something to recount: cancellations, trials, complaints, falling bills. */
export async function interestingSubscribers(warehouse: Warehouse): Promise<Record<string, string>> {
  const pick = async (where: string) =>
    (
      await warehouse.one<{ msisdn: string }>(
        `SELECT msisdn FROM customer_facts WHERE ${where} ORDER BY msisdn LIMIT 1`,
      )
    )?.msisdn;
  const chosen: Record<string, string | undefined> = {
    cancelled: await pick('cancels_30d > 0'),
    trial: await pick(`services LIKE '%"trial":true,"trialEndsOn":"%'`),
    complainer: await pick('complaint_calls_30d > 0'),
    offnet: await pick('p2p_sms_30d >= 5 AND offnet_sms_30d * 2 > p2p_sms_30d'),
    busy: await pick(`vas_events_30d > 20 AND status = 'active'`),
  };
  for (const [what, msisdn] of Object.entries(chosen))
    if (!msisdn) throw new Error(`the demo has no subscriber to test for ${what}`);
  return chosen as Record<string, string>;
}
