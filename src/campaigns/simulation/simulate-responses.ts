// `telmark simulate-responses`: the demo operator's answer to its campaigns. Reads the campaign
// messages the channels delivered, draws the orders the planted truth gives for the days after
// (src/demo/draw-campaign-responses.ts) and writes them as `orders_YYYYMMDD.csv` feed files, which
// `telmark load` reads like any other feed. One file per day of any response window, header-only when
// nobody ordered that day, so a file that held orders before is replaced rather than left stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DeliveredOffer,
  demoServices,
  drawCampaignResponses,
  indexOfMsisdn,
  type ResponseSubscriber,
} from '../../demo/index.ts';
import { feeds } from '../../feeds/contract.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';

export interface SimulatedResponses {
  deliveries: number;
  /** Orders written, by how they came: `campaign` (caused by a message) or the baseline. */
  orders: { campaign: number; baseline: number };
  files: { file: string; day: string; rows: number }[];
}

export async function simulateResponses(warehouse: Warehouse, outDir: string): Promise<SimulatedResponses> {
  await assertDemoWarehouse(warehouse);
  const deliveries = await warehouse.all<{
    msisdn: string;
    service_id: string;
    campaign_id: string;
    delivered_at: string;
  }>(
    // The subscriber may carry a country code (+86…): the last 11 digits are the number.
    `SELECT right(subscriber, 11) AS msisdn, service_id, coalesce(source_ref, '') AS campaign_id,
       strftime(coalesce(final_at, submitted_at, updated_at), '%Y-%m-%d %H:%M:%S') AS delivered_at
     FROM channel_outbox
     WHERE source = 'campaign' AND status = 'delivered' AND service_id IS NOT NULL
       AND regexp_full_match(right(subscriber, 11), '1[0-9]{10}')
     ORDER BY message_id`,
  );
  const subscribers = await warehouse.all<{ msisdn: string; brand: string; birth_year: number; status: string }>(
    'SELECT msisdn, brand, birth_year, status FROM subscribers ORDER BY msisdn',
  );
  // Holders as of the first delivery day of each service: later than that, the simulation's own
  // orders would count, and a re-run would then draw differently.
  const holderRows = await warehouse.all<{ service_id: string; msisdn: string }>(
    `WITH first_day AS (
       SELECT service_id, min(CAST(coalesce(final_at, submitted_at, updated_at) AS DATE)) AS day
       FROM channel_outbox WHERE source = 'campaign' AND status = 'delivered' AND service_id IS NOT NULL
       GROUP BY service_id)
     SELECT DISTINCT t.service_id, t.msisdn FROM subscriptions t JOIN first_day f USING (service_id)
     WHERE t.started_on <= f.day AND (t.ended_on IS NULL OR t.ended_on > f.day)`,
  );
  const holders = new Map<string, Set<string>>();
  for (const r of holderRows) {
    const set = holders.get(r.service_id) ?? new Set<string>();
    set.add(r.msisdn);
    holders.set(r.service_id, set);
  }
  const drawn = drawCampaignResponses({
    subscribers: subscribers.map(
      (s): ResponseSubscriber => ({
        msisdn: s.msisdn,
        brand: s.brand,
        birthYear: Number(s.birth_year),
        active: s.status === 'active',
      }),
    ),
    deliveries: deliveries.map(
      (d): DeliveredOffer => ({
        msisdn: d.msisdn,
        serviceId: d.service_id,
        campaignId: d.campaign_id,
        deliveredAt: d.delivered_at,
      }),
    ),
    holders,
  });
  await refuseDaysOfTheFeeds(warehouse, drawn.days);

  const trialServices = new Set(
    (await warehouse.all<{ service_id: string }>('SELECT service_id FROM services WHERE trial_months > 0')).map(
      (s) => s.service_id,
    ),
  );
  await mkdir(outDir, { recursive: true });
  const header = `${feeds.orders.fields.map((f) => f.name).join(',')}\n`;
  const files: SimulatedResponses['files'] = [];
  for (const day of drawn.days) {
    const rows = drawn.orders.filter((o) => o.ts.startsWith(day));
    const lines = rows.map(
      (o) =>
        `${o.orderId},${o.ts},${o.msisdn},${o.serviceId},subscribe,${o.channel},${trialServices.has(o.serviceId) ? 1 : 0},1,${o.campaignId}\n`,
    );
    const file = `orders_${day.replaceAll('-', '')}.csv`;
    await writeFile(join(outDir, file), header + lines.join(''));
    files.push({ file, day, rows: rows.length });
  }
  const campaign = drawn.orders.filter((o) => o.channel === 'campaign').length;
  return {
    deliveries: deliveries.length,
    orders: { campaign, baseline: drawn.orders.length - campaign },
    files,
  };
}

/**
 * The planted truth knows the demo operator's subscribers only: a warehouse loaded from other feeds
 * is refused, so nobody mistakes simulated orders for real ones.
 */
async function assertDemoWarehouse(warehouse: Warehouse): Promise<void> {
  const hint =
    'simulate-responses is for the demo operator: load feeds written by `telmark generate` (or `telmark demo`)';
  const services = await warehouse.all<{ service_id: string; name: string }>('SELECT service_id, name FROM services');
  const names = new Map(services.map((s) => [s.service_id, s.name]));
  const missing = demoServices.filter((s) => names.get(s.serviceId) !== s.name);
  if (missing.length > 0)
    throw new AppError(
      'INPUT_INVALID',
      `this warehouse is not the demo operator's: its services lack ${missing.map((s) => `${s.serviceId} (${s.name})`).join(', ')}`,
      { location: { field: 'services' }, hint },
    );
  const sample = await warehouse.all<{ msisdn: string }>('SELECT msisdn FROM subscribers ORDER BY msisdn LIMIT 50');
  if (sample.length === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'the warehouse has no subscribers', {
      location: { field: 'subscribers' },
      hint,
    });
  for (const { msisdn } of sample) {
    try {
      indexOfMsisdn(msisdn);
    } catch (error) {
      if (!isAppError(error)) throw error;
      throw new AppError(
        'INPUT_INVALID',
        `this warehouse is not the demo operator's: subscriber ${msisdn.slice(0, 3)}****${msisdn.slice(7)} is not a demo number`,
        {
          location: { field: 'subscribers.msisdn' },
          hint,
        },
      );
    }
  }
}

/**
 * Loading a file for a day replaces the file of the same name: simulated orders for a day the
 * operator's own order feed covers would wipe that day's orders. Refuse, and say how to avoid it.
 */
async function refuseDaysOfTheFeeds(warehouse: Warehouse, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  const periods = days.map((d) => d.replaceAll('-', ''));
  const clash = await warehouse.one<{ file_name: string }>(
    `SELECT f.file_name FROM load_files f
     WHERE f.feed = 'orders' AND f.replaced_by IS NULL AND f.period IN (${periods.map(() => '?').join(', ')})
       AND EXISTS (SELECT 1 FROM orders o WHERE o.file_id = f.file_id AND o.order_id NOT LIKE 'SIM-%')
     ORDER BY f.period LIMIT 1`,
    periods,
  );
  if (!clash) return;
  const last = await warehouse.one<{ day: string | null }>(
    `SELECT CAST(max(CAST(ts AS DATE)) AS VARCHAR) AS day FROM orders WHERE order_id NOT LIKE 'SIM-%'`,
  );
  throw new AppError(
    'INPUT_INVALID',
    `responses would fall on days the order feed already covers (${clash.file_name} is loaded): their file would replace it`,
    {
      location: { file: clash.file_name },
      hint: `deliver campaign messages on or after the last day of the loaded orders (${last?.day ?? 'unknown'}), e.g. run the campaign after loading the demo`,
    },
  );
}
