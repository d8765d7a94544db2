// Writes granted rewards to stream_rewards in batches, flushed with the decisions. Ids come from the
// offer's event, so a batch written again after a restart or a replay is ignored row by row (INSERT OR
// IGNORE): no reward twice.
import { type SqlParam, sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import type { Reward } from '../engine/reward.ts';
import { formatEventTime } from '../events/event-time.ts';

const COLUMNS = 14;
const MAX_ROWS_PER_STATEMENT = 500;

export class RewardWriter {
  private pending: Reward[] = [];
  private flushing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(private readonly warehouse: Warehouse) {}

  add(reward: Reward): void {
    this.pending.push(reward);
  }

  /** Writes everything added so far; calls are serialised. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Reward[]): Promise<void> {
    for (let from = 0; from < batch.length; from += MAX_ROWS_PER_STATEMENT) {
      const rows = batch.slice(from, from + MAX_ROWS_PER_STATEMENT);
      const params: SqlParam[] = [];
      for (const r of rows)
        params.push(
          r.rewardId,
          r.ruleId,
          r.ruleVersion,
          r.msisdn,
          r.offerId,
          r.kind,
          r.amount.toFixed(2),
          r.description,
          r.behaviour,
          r.count,
          formatEventTime(r.offeredTsMs),
          formatEventTime(r.reachedTsMs),
          sqlTimestamp(r.grantedAtMs),
          'pending',
        );
      const placeholders = rows.map(() => `(${new Array(COLUMNS).fill('?').join(', ')})`).join(', ');
      await this.warehouse.run(
        `INSERT OR IGNORE INTO stream_rewards (reward_id, rule_id, rule_version, msisdn, offer_id, kind, amount, description,
           behaviour, count, offered_at, reached_at, granted_at, status) VALUES ${placeholders}`,
        params,
      );
      this.written += rows.length;
    }
  }
}
