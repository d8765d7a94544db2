// Writes decisions to the warehouse outbox in batches. Ids come from the triggering event, so a batch
// written again after a restart is ignored row by row (INSERT OR IGNORE): no decision twice. The
// channels' outbox keys its messages by the same ids, so it ignores the repeats too.
import { sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import type { SqlParam } from '../../warehouse/index.ts';
import type { Decision } from '../engine/decision.ts';
import { formatEventTime } from '../events/event-time.ts';

const COLUMNS = 12;
const MAX_ROWS_PER_STATEMENT = 500;

export class OutboxWriter {
  private pending: Decision[] = [];
  private flushing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private readonly warehouse: Warehouse,
    /** Told about every batch once it is written (the stream hands decisions to send to the channels' outbox). */
    private readonly onWritten?: (batch: readonly Decision[]) => Promise<void>,
  ) {}

  add(decision: Decision): void {
    this.pending.push(decision);
  }

  get backlog(): number {
    return this.pending.length;
  }

  /** Writes everything added so far; calls are serialised. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Decision[]): Promise<void> {
    for (let from = 0; from < batch.length; from += MAX_ROWS_PER_STATEMENT) {
      const rows = batch.slice(from, from + MAX_ROWS_PER_STATEMENT);
      const params: SqlParam[] = [];
      for (const d of rows)
        params.push(
          d.decisionId,
          d.ruleId,
          d.ruleVersion,
          d.msisdn,
          d.area,
          d.message,
          d.serviceId ?? null,
          formatEventTime(d.eventTsMs),
          sqlTimestamp(d.decidedAtMs),
          d.status,
          d.suppression ?? null,
          d.reason,
        );
      const placeholders = rows.map(() => `(${new Array(COLUMNS).fill('?').join(', ')})`).join(', ');
      await this.warehouse.run(
        `INSERT OR IGNORE INTO stream_outbox (decision_id, rule_id, rule_version, msisdn, area, message, service_id,
           event_ts, decided_at, status, suppression, reason) VALUES ${placeholders}`,
        params,
      );
      this.written += rows.length;
    }
    if (batch.length > 0) await this.onWritten?.(batch);
  }
}
