// One row per subscriber of a round who counts in its evaluation, with whether and when they
// responded. Contacted counts those whose message reached the SMSC or mail server (submitted or
// delivered): a message the contact policy skipped never had the chance to work. Control counts
// everyone drawn into it. A response is an order (subscribe) of the promoted service, through any
// channel, from the contact (control: the round's start) until the response window ends. Rows come
// ordered by msisdn: what is computed from them (rule discovery) must not depend on a join's order.
import type { Warehouse } from '../../warehouse/index.ts';

export type OutcomeRow = {
  msisdn: string;
  grp: 'contacted' | 'control';
  county: string;
  brand: string;
  age: number;
  /** Days from the contact (control: the round's start) to the first order; null: no response. */
  responded_after_days: number | null;
  cancelled: boolean;
};

export interface FunnelCounts {
  assigned: number;
  queued: number;
  sent: number;
  delivered: number;
}

export interface RoundWindow {
  campaignId: string;
  round: number;
  serviceId: string;
  windowDays: number;
}

export async function roundOutcomes(warehouse: Warehouse, w: RoundWindow): Promise<OutcomeRow[]> {
  const trialMonths = await warehouse.scalar(
    'SELECT coalesce(max(trial_months), 0) FROM services WHERE service_id = ?',
    [w.serviceId],
  );
  // Cancellations within the trial: an unsubscribe after the first order and before the free months end
  // (for a service without trial: within the response window).
  const cancelUntil =
    trialMonths > 0
      ? `r.first_order + to_months(${Math.trunc(trialMonths)})`
      : `r.first_order + to_days(${w.windowDays})`;
  return warehouse.all<OutcomeRow>(
    `WITH rnd AS (SELECT started_at FROM campaign_rounds WHERE campaign_id = ? AND round = ?),
     pop AS (
       SELECT a.msisdn, a.grp,
              CASE WHEN a.grp = 'control' THEN rnd.started_at ELSE coalesce(o.submitted_at, o.final_at, o.queued_at) END AS t0
       FROM campaign_assignments a CROSS JOIN rnd LEFT JOIN channel_outbox o ON o.message_id = a.message_id
       WHERE a.campaign_id = ? AND a.round = ? AND (a.grp = 'control' OR o.status IN ('submitted', 'delivered'))),
     r AS (
       SELECT p.msisdn, min(o.ts) AS first_order
       FROM pop p JOIN orders o ON o.msisdn = p.msisdn AND o.service_id = ? AND o.action = 'subscribe'
         AND o.ts >= p.t0 AND o.ts < p.t0 + to_days(CAST(? AS INTEGER))
       GROUP BY p.msisdn),
     c AS (
       SELECT DISTINCT r.msisdn FROM r JOIN orders o ON o.msisdn = r.msisdn AND o.service_id = ?
         AND o.action = 'unsubscribe' AND o.ts > r.first_order AND o.ts < ${cancelUntil})
     SELECT p.msisdn, p.grp, coalesce(s.county, '?') AS county, coalesce(s.brand, '?') AS brand,
            CAST(coalesce(year(p.t0) - s.birth_year, -1) AS INTEGER) AS age,
            CASE WHEN r.first_order IS NULL THEN NULL
                 ELSE date_diff('second', p.t0, r.first_order) / 86400.0 END AS responded_after_days,
            c.msisdn IS NOT NULL AS cancelled
     FROM pop p LEFT JOIN r USING (msisdn) LEFT JOIN c USING (msisdn) LEFT JOIN subscribers s USING (msisdn)
     ORDER BY p.msisdn`,
    [w.campaignId, w.round, w.campaignId, w.round, w.serviceId, w.windowDays, w.serviceId],
  );
}

export async function roundFunnel(warehouse: Warehouse, campaignId: string, round: number): Promise<FunnelCounts> {
  const row = await warehouse.one<Record<keyof FunnelCounts, number>>(
    `SELECT count(*) AS assigned,
            count(*) FILTER (WHERE o.status IS NOT NULL AND o.status <> 'skipped') AS queued,
            count(*) FILTER (WHERE o.submitted_at IS NOT NULL OR o.status IN ('submitted', 'delivered')) AS sent,
            count(*) FILTER (WHERE o.status = 'delivered') AS delivered
     FROM campaign_assignments a LEFT JOIN channel_outbox o ON o.message_id = a.message_id
     WHERE a.campaign_id = ? AND a.round = ? AND a.grp = 'contacted'`,
    [campaignId, round],
  );
  return {
    assigned: Number(row?.assigned ?? 0),
    queued: Number(row?.queued ?? 0),
    sent: Number(row?.sent ?? 0),
    delivered: Number(row?.delivered ?? 0),
  };
}

/** The last order time loaded: how far the response window can be read. */
export async function ordersLoadedUntil(warehouse: Warehouse): Promise<string | null> {
  const row = await warehouse.one<{ until: string | null }>(
    "SELECT strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS until FROM orders",
  );
  return row?.until ?? null;
}
