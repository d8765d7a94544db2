// The one door into the outbox for every source (trigger rules, campaigns, alerts, ad-hoc lists):
// each message is judged by the contact policy and lands as `pending` (perhaps deferred past quiet
// hours) or as `skipped` with its reason. Ids are stable, so queueing the same batch again is a no-op.
import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import { type ColumnTypes, rowsParam, selectJsonRows } from './json-rows.ts';
import { ContactPolicy } from '../policy/contact-policy.ts';
import { loadLedger } from '../policy/load-ledger.ts';
import { formatLocal, localNowMs } from '../policy/local-time.ts';
import {
  type Channel,
  type ChannelsConfig,
  kindOf,
  type OutboundMessage,
  type QueueRequest,
  type QueueResult,
} from './outbound-message.ts';

const OUTBOX_COLUMNS: ColumnTypes = {
  message_id: 'VARCHAR',
  source: 'VARCHAR',
  source_ref: 'VARCHAR',
  kind: 'VARCHAR',
  channel: 'VARCHAR',
  recipient: 'VARCHAR',
  subscriber: 'VARCHAR',
  area: 'VARCHAR',
  service_id: 'VARCHAR',
  subject: 'VARCHAR',
  text: 'VARCHAR',
  html: 'VARCHAR',
  text_hash: 'VARCHAR',
  status: 'VARCHAR',
  reason: 'VARCHAR',
  queued_at: 'TIMESTAMP',
  not_before: 'TIMESTAMP',
  expires_at: 'TIMESTAMP',
  attempts: 'INTEGER',
  updated_at: 'TIMESTAMP',
};
const HISTORY_COLUMNS: ColumnTypes = {
  message_id: 'VARCHAR',
  queued_at: 'TIMESTAMP',
  status: 'VARCHAR',
  reason: 'VARCHAR',
};
const ROWS_PER_STATEMENT = 5000;

export interface QueueOptions {
  config: ChannelsConfig;
  clock: Clock;
}

export function hashText(text: string, subject = ''): string {
  return createHash('sha1').update(subject).update('\n').update(text).digest('hex').slice(0, 16);
}

export function isValidRecipient(channel: Channel, recipient: string): boolean {
  return channel === 'sms' ? /^(\+?86)?1\d{10}$/.test(recipient) : /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(recipient);
}

export async function queueMessages(
  warehouse: Warehouse,
  request: QueueRequest,
  options: QueueOptions,
): Promise<QueueResult> {
  const { config } = options;
  const channel: Channel = request.channel ?? 'sms';
  const kind = kindOf(config, request.source);
  const nowMs = localNowMs(options.clock, config.utcOffsetMinutes);
  const now = formatLocal(nowMs);
  const defaultExpiry = config.policy.expiryHours > 0 ? nowMs + config.policy.expiryHours * 3_600_000 : undefined;

  const prepared = request.messages.map((m) => prepare(m, request, channel));
  const existing = await existingIds(
    warehouse,
    prepared.map((p) => p.id),
  );
  const ledger = await loadLedger(warehouse, {
    subscribers: prepared.map((p) => p.subscriber),
    nowMs,
    basis: 'planned',
    duplicateWindowDays: config.policy.duplicateWindowDays,
  });
  const policy = new ContactPolicy(config);
  const result: QueueResult = { queued: 0, skipped: {}, deferred: {}, ids: [] };
  const rows: Record<string, SqlParam>[] = [];
  const count = (into: Record<string, number>, reason: string) => {
    into[reason] = (into[reason] ?? 0) + 1;
  };
  for (const p of prepared) {
    // The same id again (a replayed decision, a re-run list) is the same message: never a second row.
    if (existing.has(p.id)) {
      count(result.skipped, 'duplicate');
      continue;
    }
    existing.add(p.id);
    const expiresAtMs = p.message.expiresAtMs ?? (kind === 'marketing' ? defaultExpiry : undefined);
    const verdict = isValidRecipient(channel, p.message.recipient)
      ? policy.judgeQueued(
          { subscriber: p.subscriber, channel, kind, textKey: `${p.subscriber}|${p.hash}`, expiresAtMs },
          nowMs,
          ledger,
        )
      : ({ queue: false, reason: 'invalid_recipient' } as const);
    let status = 'pending';
    let reason: string | null = null;
    let notBefore = now;
    if (verdict.queue) {
      result.queued++;
      result.ids.push(p.id);
      notBefore = formatLocal(verdict.notBeforeMs);
      if (verdict.deferredBy) {
        reason = verdict.deferredBy;
        count(result.deferred, reason);
      }
    } else {
      status = 'skipped';
      reason = verdict.reason;
      count(result.skipped, reason);
    }
    const m = p.message;
    rows.push({
      message_id: p.id,
      source: request.source,
      source_ref: request.sourceRef ?? null,
      kind,
      channel,
      recipient: m.recipient,
      subscriber: p.subscriber,
      area: m.area ?? null,
      service_id: m.serviceId ?? null,
      subject: m.subject ?? null,
      text: m.text,
      html: m.html ?? null,
      text_hash: p.hash,
      status,
      reason,
      queued_at: now,
      not_before: notBefore,
      expires_at: expiresAtMs === undefined ? null : formatLocal(expiresAtMs),
      attempts: 0,
      updated_at: now,
    });
  }
  await warehouse.transaction(async () => {
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
      const columns = Object.keys(OUTBOX_COLUMNS).join(', ');
      await warehouse.run(
        `INSERT OR IGNORE INTO channel_outbox (${columns}) SELECT ${columns} FROM (${selectJsonRows(OUTBOX_COLUMNS)})`,
        [rowsParam(chunk)],
      );
      await warehouse.run(
        `INSERT INTO channel_status_history (message_id, changed_at, status, reason)
         SELECT message_id, queued_at, status, reason FROM (${selectJsonRows(HISTORY_COLUMNS)})`,
        [
          rowsParam(
            chunk.map((r) => ({ message_id: r.message_id, queued_at: now, status: r.status, reason: r.reason })),
          ),
        ],
      );
    }
  });
  return result;
}

function prepare(message: OutboundMessage, request: QueueRequest, channel: Channel) {
  const hash = hashText(message.text, message.subject);
  const subscriber = message.subscriber ?? message.recipient;
  const id = message.id ?? `${request.source}|${request.sourceRef ?? ''}|${channel}|${message.recipient}|${hash}`;
  return { message, hash, subscriber, id };
}

async function existingIds(warehouse: Warehouse, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await warehouse.all<{ message_id: string }>(
    `WITH ids AS (SELECT unnest(string_split(?, chr(10))) AS message_id)
     SELECT o.message_id FROM channel_outbox o JOIN ids USING (message_id)`,
    [ids.join('\n')],
  );
  return new Set(rows.map((r) => r.message_id));
}
