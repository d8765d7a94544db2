// What the channels page shows: the sender running in this process (bound, rate, window in use, queue
// depth), the outbox by channel and status, skips and deferrals by reason, and receipts and failures
// per hour over the last day.
import type { Warehouse } from '../../warehouse/index.ts';
import type { SenderProgress } from '../sender/run-sender.ts';
import { type OutboxRow, type OutboxStatus, outboxReasons, outboxStatus, type ReasonCount } from './outbox-report.ts';

/**
 * The answer of GET /api/channels/status. The sender's figures are there only while a sender runs in
 * this process, so every one of them is optional to the reader.
 */
export interface ChannelsStatus {
  sender: { running: boolean } & Partial<SenderProgress>;
  outbox: OutboxStatus;
  reasons: ReasonCount[];
  receiptsPerHour: { hour: string; delivered: number; failed: number }[];
}

/** The answer of GET /api/outbox: the newest messages, recipients masked. */
export interface OutboxList {
  messages: OutboxRow[];
}

let live: SenderProgress | undefined;

/** The sender of this process registers its progress while it runs. */
export function setLiveSender(progress: SenderProgress | undefined): void {
  live = progress;
}

export async function channelsStatus(warehouse: Warehouse): Promise<ChannelsStatus> {
  const hours = await warehouse.all<{ hour: string; delivered: number; failed: number }>(
    `WITH latest AS (SELECT max(final_at) AS t FROM channel_outbox)
     SELECT strftime(date_trunc('hour', final_at), '%Y-%m-%d %H:00') AS hour,
            count(*) FILTER (WHERE status = 'delivered')::INTEGER AS delivered,
            count(*) FILTER (WHERE status IN ('failed', 'expired'))::INTEGER AS failed
     FROM channel_outbox, latest
     WHERE final_at IS NOT NULL AND final_at > latest.t - INTERVAL 24 HOUR AND status IN ('delivered', 'failed', 'expired')
     GROUP BY ALL ORDER BY hour`,
  );
  return {
    sender: live ? { running: true, ...live } : { running: false },
    outbox: await outboxStatus(warehouse),
    reasons: await outboxReasons(warehouse),
    receiptsPerHour: hours,
  };
}
