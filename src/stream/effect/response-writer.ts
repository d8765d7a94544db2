// Writes simulated responses to stream_responses in batches (INSERT OR IGNORE: replays are harmless).
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import { formatEventTime } from '../events/event-time.ts';
import type { SimulatedResponse } from './response-simulator.ts';

export class ResponseWriter {
  private pending: SimulatedResponse[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly warehouse: Warehouse) {}

  add(response: SimulatedResponse): void {
    this.pending.push(response);
  }

  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      for (let from = 0; from < batch.length; from += 500) {
        const rows = batch.slice(from, from + 500);
        const params: SqlParam[] = rows.flatMap((r) => [
          r.decisionId,
          r.ruleId,
          r.msisdn,
          r.area,
          r.group,
          r.serviceId,
          formatEventTime(r.orderTsMs),
        ]);
        await this.warehouse.run(
          `INSERT OR IGNORE INTO stream_responses (decision_id, rule_id, msisdn, area, grp, service_id, order_ts)
           VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
    });
    return this.chain;
  }
}
