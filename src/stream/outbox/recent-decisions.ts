// The latest decisions of the stream's outbox: sent, held out as control, or suppressed with the reason.
// Phone numbers come back raw; the API's access plugin masks them by role.
import type { Row, Warehouse } from '../../warehouse/index.ts';

export async function readRecentDecisions(warehouse: Warehouse, options: { limit: number }): Promise<Row[]> {
  return warehouse.all(
    `SELECT rule_id, msisdn, area, status, suppression, reason, message, strftime(event_ts, '%Y-%m-%d %H:%M:%S') AS event_ts
     FROM stream_outbox ORDER BY event_ts DESC, decision_id LIMIT ?`,
    [options.limit],
  );
}
