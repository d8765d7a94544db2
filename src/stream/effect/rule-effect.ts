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
  uplift: number | null;
  /** `delivered` once the channels send trigger messages, `decided` before. */
  basis: 'delivered' | 'decided';
}

export async function measureRuleEffect(
  warehouse: Warehouse,
  options: { byArea?: boolean } = {},
): Promise<RuleEffect[]> {
  const area = options.byArea ? 'd.area' : "''";
  return warehouse.all<RuleEffect & Record<string, unknown>>(
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
}
