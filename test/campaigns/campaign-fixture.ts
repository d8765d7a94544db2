// A small hand-built base for campaign tests: subscribers with known brand, county and birth year, one
// promoted service, and helpers to play the sender (mark messages delivered) and the subscribers (orders).
import { rightsOf } from '../../src/access/index.ts';
import type { CampaignActor, CampaignDeps } from '../../src/campaigns/index.ts';
import { defaultConfig } from '../../src/config/config.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { insertRows, Warehouse } from '../../src/warehouse/index.ts';
import { refreshSubscriberFacts } from '../../src/warehouse/load/index.ts';

export const counties = ['源城', '东源', '和平', '龙川'] as const;
export const brands = ['gotone', 'easyown', 'mzone'] as const;

export function msisdnOf(i: number): string {
  return `138${String(i).padStart(8, '0')}`;
}

/** n active subscribers: brand, county and birth year cycle so every combination is present. */
export async function openCampaignWarehouse(n: number, path = ':memory:'): Promise<Warehouse> {
  const warehouse = await Warehouse.open(path);
  await warehouse.run(
    `INSERT INTO services (service_id, name, category, monthly_fee, trial_months, file_id)
     VALUES ('music', '音乐', 'music', 6, 1, 1), ('news', '手机报', 'news', 3, 0, 1)`,
  );
  const rows = Array.from({ length: n }, (_, i) => [
    msisdnOf(i),
    brands[i % 3]!,
    '河源',
    counties[Math.floor(i / 3) % 4]!,
    'P1',
    '2020-01-01',
    1970 + (i % 40),
    i % 2 === 0 ? 'M' : 'F',
    'active',
    '2020-01-01',
    1,
  ]);
  await insertRows(
    warehouse,
    'subscribers',
    [
      'msisdn',
      'brand',
      'region',
      'county',
      'plan_id',
      'activated_on',
      'birth_year',
      'gender',
      'status',
      'status_changed_on',
      'file_id',
    ],
    rows,
  );
  // The audience compiler reads subscriber_facts, which a load rebuilds; here the rows came in by hand.
  await refreshSubscriberFacts(warehouse);
  return warehouse;
}

/** 10:00 local (UTC+8) on 2026-04-01: outside quiet hours. */
export function campaignDeps(): CampaignDeps & { clock: ReturnType<typeof fixedClock> } {
  const channels = structuredClone(defaultConfig.channels);
  return { clock: fixedClock('2026-04-01T02:00:00Z'), channels };
}

export function actor(name: string, ...roles: Parameters<typeof rightsOf>[0]): CampaignActor {
  return { name, address: 'test', rights: rightsOf(roles) };
}

/** The sender's part: every pending message of the campaign submitted and delivered at `at`. */
export async function deliverAll(warehouse: Warehouse, campaignId: string, at: string): Promise<number> {
  await warehouse.run(
    `UPDATE channel_outbox SET status = 'delivered', submitted_at = ?, final_at = ?
     WHERE source = 'campaign' AND source_ref = ? AND status = 'pending'`,
    [at, at, campaignId],
  );
  return warehouse.scalar(`SELECT count(*) FROM channel_outbox WHERE source_ref = ? AND status = 'delivered'`, [
    campaignId,
  ]);
}

export async function addOrders(
  warehouse: Warehouse,
  orders: readonly { msisdn: string; ts: string; service: string; action?: 'subscribe' | 'unsubscribe' }[],
): Promise<void> {
  await insertRows(
    warehouse,
    'orders',
    ['order_id', 'ts', 'msisdn', 'service_id', 'action', 'channel', 'trial', 'confirmed', 'campaign_id', 'file_id'],
    orders.map((o, i) => [
      `T${i}-${o.msisdn}-${o.ts}`,
      o.ts,
      o.msisdn,
      o.service,
      o.action ?? 'subscribe',
      'sms',
      false,
      true,
      null,
      1,
    ]),
  );
}
