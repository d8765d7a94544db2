// Per area, what became of the stream's decisions once the channels (src/channels) took them: sent to
// the SMSC, delivered, failed; and the responses of triggered and control subscribers. A decision still
// pending or stopped by the contact policy is not a message. Counted since the stream's tables began.
import type { Warehouse } from '../../warehouse/index.ts';

export interface AreaOutcome {
  area: string;
  sent: number;
  delivered: number;
  failed: number;
  responses: number;
  controlResponses: number;
}

export async function measureAreaOutcomes(warehouse: Warehouse): Promise<Map<string, AreaOutcome>> {
  const rows = await warehouse.all<{
    area: string;
    sent: number;
    delivered: number;
    failed: number;
    responses: number;
    control_responses: number;
  }>(
    `SELECT o.area,
            count(c.submitted_at)::INTEGER AS sent,
            count(*) FILTER (WHERE c.status = 'delivered')::INTEGER AS delivered,
            count(*) FILTER (WHERE c.status IN ('failed', 'expired'))::INTEGER AS failed,
            count(r.decision_id) FILTER (WHERE r.grp = 'triggered')::INTEGER AS responses,
            count(r.decision_id) FILTER (WHERE r.grp = 'control')::INTEGER AS control_responses
     FROM stream_outbox o
       LEFT JOIN channel_outbox c ON c.message_id = o.decision_id
       LEFT JOIN stream_responses r ON r.decision_id = o.decision_id
     GROUP BY o.area`,
  );
  return new Map(
    rows.map((r) => [
      r.area,
      {
        area: r.area,
        sent: r.sent,
        delivered: r.delivered,
        failed: r.failed,
        responses: r.responses,
        controlResponses: r.control_responses,
      },
    ]),
  );
}
