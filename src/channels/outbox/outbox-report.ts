// What the outbox holds: counts by channel and status (the shape `telmark outbox status --format json`
// promises), counts by skip or defer reason, and a filtered list of messages.
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import { type MessageStatus, messageStatuses } from './outbound-message.ts';

export type OutboxStatus = Record<string, Record<MessageStatus, number>>;

export async function outboxStatus(warehouse: Warehouse): Promise<OutboxStatus> {
  const rows = await warehouse.all<{ channel: string; status: MessageStatus; n: number }>(
    'SELECT channel, status, count(*)::INTEGER AS n FROM channel_outbox GROUP BY ALL ORDER BY ALL',
  );
  const out: OutboxStatus = {};
  const empty = () => Object.fromEntries(messageStatuses.map((s) => [s, 0])) as Record<MessageStatus, number>;
  for (const channel of ['sms', 'email']) out[channel] = empty();
  for (const r of rows) {
    out[r.channel] ??= empty();
    out[r.channel]![r.status] = r.n;
  }
  return out;
}

export interface ReasonCount {
  status: string;
  reason: string;
  messages: number;
}

/** Skipped, deferred, failed and unknown messages by reason. */
export async function outboxReasons(warehouse: Warehouse): Promise<ReasonCount[]> {
  return warehouse.all<ReasonCount & Record<string, unknown>>(
    `SELECT status, reason, count(*)::INTEGER AS messages FROM channel_outbox
     WHERE reason IS NOT NULL GROUP BY ALL ORDER BY messages DESC, status, reason`,
  );
}

export interface OutboxFilter {
  status?: string;
  channel?: string;
  source?: string;
  /** Recipient (or part of it). */
  recipient?: string;
  limit?: number;
}

export interface OutboxRow {
  message_id: string;
  source: string;
  source_ref: string | null;
  channel: string;
  recipient: string;
  status: string;
  reason: string | null;
  attempts: number;
  parts: number | null;
  smsc_ids: string | null;
  queued_at: string;
  not_before: string;
  submitted_at: string | null;
  final_at: string | null;
  text: string;
}

export async function listOutbox(warehouse: Warehouse, filter: OutboxFilter = {}): Promise<OutboxRow[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.channel) {
    where.push('channel = ?');
    params.push(filter.channel);
  }
  if (filter.source) {
    where.push('(source = ? OR source_ref = ?)');
    params.push(filter.source, filter.source);
  }
  if (filter.recipient) {
    where.push('contains(recipient, ?)');
    params.push(filter.recipient);
  }
  params.push(filter.limit ?? 100);
  return warehouse.all<OutboxRow & Record<string, unknown>>(
    `SELECT message_id, source, source_ref, channel, recipient, status, reason, attempts, parts, smsc_ids,
            strftime(queued_at, '%Y-%m-%d %H:%M:%S') AS queued_at,
            strftime(not_before, '%Y-%m-%d %H:%M:%S') AS not_before,
            strftime(submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at,
            strftime(final_at, '%Y-%m-%d %H:%M:%S') AS final_at, text
     FROM channel_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY queued_at DESC, message_id LIMIT ?`,
    params,
  );
}
