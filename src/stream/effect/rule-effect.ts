// Effect of each rule (and area): response of messaged subscribers against the held-out control.
// A response is an order of the promoted service within the rule's response window after the trigger,
// from the orders feed or from the demo's simulated responses. Once the channels send trigger messages,
// the messaged side is the subscribers whose message was delivered (basis `delivered`): a decision whose
// SMS failed reached nobody. Before any sending, it is every decision to message (basis `decided`).
import type { Warehouse } from '../../warehouse/index.ts';

export interface RuleEffect {
  rule_id: string;
  area: string;
  triggered: number;
  triggered_responders: number;
  triggered_rate: number | null;
  control: number;
  control_responders: number;
  control_rate: number | null;
  /** Triggered rate minus control rate (a difference of shares: ×100 gives percentage points). */
  uplift: number | null;
  /** 95 % interval of the uplift (normal approximation of a difference of two proportions). */
  uplift_low: number | null;
  uplift_high: number | null;
  /** `delivered` once the channels send trigger messages, `decided` before. */
  basis: 'delivered' | 'decided';
}

export async function measureRuleEffect(
  warehouse: Warehouse,
  options: { byArea?: boolean } = {},
): Promise<RuleEffect[]> {
  const area = options.byArea ? 'd.area' : "''";
  const rows = await warehouse.all<Omit<RuleEffect, 'uplift_low' | 'uplift_high'> & Record<string, unknown>>(
    `WITH sending AS (
       SELECT count(*) > 0 AS active FROM channel_outbox
       WHERE source = 'trigger' AND status IN ('submitted', 'delivered', 'failed', 'expired', 'unknown')),
     d AS (
       SELECT o.decision_id, o.rule_id, o.area, o.msisdn, o.service_id, o.event_ts,
              CASE WHEN o.status = 'control' THEN 'control' ELSE 'triggered' END AS grp,
              coalesce(TRY_CAST(json_extract(r.definition, '$.response_window') AS BIGINT), 259200) AS window_s
       FROM stream_outbox o LEFT JOIN stream_rules r USING (rule_id)
         LEFT JOIN channel_outbox c ON c.message_id = o.decision_id
       WHERE o.status IN ('pending', 'sent', 'control') AND o.service_id IS NOT NULL
         AND (o.status = 'control' OR NOT (SELECT active FROM sending) OR c.status = 'delivered')),
     responses AS (
       SELECT msisdn, service_id, order_ts AS ts FROM stream_responses
       UNION ALL SELECT msisdn, service_id, ts FROM orders WHERE action = 'subscribe'),
     scored AS (
       SELECT d.rule_id, ${area} AS area, d.grp,
              EXISTS (SELECT 1 FROM responses x WHERE x.msisdn = d.msisdn AND x.service_id = d.service_id
                        AND x.ts > d.event_ts AND x.ts <= d.event_ts + to_seconds(d.window_s)) AS responded
       FROM d)
     SELECT rule_id, area,
            count(*) FILTER (WHERE grp = 'triggered')::INTEGER AS triggered,
            count(*) FILTER (WHERE grp = 'triggered' AND responded)::INTEGER AS triggered_responders,
            round(avg(responded::INTEGER) FILTER (WHERE grp = 'triggered'), 4) AS triggered_rate,
            count(*) FILTER (WHERE grp = 'control')::INTEGER AS control,
            count(*) FILTER (WHERE grp = 'control' AND responded)::INTEGER AS control_responders,
            round(avg(responded::INTEGER) FILTER (WHERE grp = 'control'), 4) AS control_rate,
            round(avg(responded::INTEGER) FILTER (WHERE grp = 'triggered') - avg(responded::INTEGER) FILTER (WHERE grp = 'control'), 4) AS uplift,
            (SELECT CASE WHEN active THEN 'delivered' ELSE 'decided' END FROM sending) AS basis
     FROM scored GROUP BY ALL ORDER BY rule_id, area`,
  );
  return rows.map((row) => ({ ...row, ...upliftInterval(row) }));
}

const Z95 = 1.959964;

/**
 * Wald interval of p1 − p0 from the counts (not the rounded rates). With a control group of a few dozen
 * it is wide, which is the point of showing it: an uplift of 5 points on 20 controls proves little.
 */
export function upliftInterval(row: {
  triggered: number;
  triggered_responders: number;
  control: number;
  control_responders: number;
}): { uplift_low: number | null; uplift_high: number | null } {
  if (row.triggered === 0 || row.control === 0) return { uplift_low: null, uplift_high: null };
  const p1 = row.triggered_responders / row.triggered;
  const p0 = row.control_responders / row.control;
  const se = Math.sqrt((p1 * (1 - p1)) / row.triggered + (p0 * (1 - p0)) / row.control);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { uplift_low: round(p1 - p0 - Z95 * se), uplift_high: round(p1 - p0 + Z95 * se) };
}
