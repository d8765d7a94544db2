// The sender's SQL: recover what a dead sender left on the wire, fetch what is due, and write one
// round's outcome together with the next round's intent in a single transaction, so a kill at any
// moment leaves at most one window of messages `submitting` (and so `unknown`).
import type { Warehouse } from '../../warehouse/index.ts';
import { type ColumnTypes, rowsParam, selectJsonRows } from '../outbox/json-rows.ts';
import type { Channel, ChannelsConfig, MessageKind } from '../outbox/outbound-message.ts';
import { resendsUnknown } from '../outbox/outbound-message.ts';

export interface DueMessage {
  message_id: string;
  source: string;
  kind: MessageKind;
  channel: Channel;
  recipient: string;
  subscriber: string;
  subject: string | null;
  text: string;
  html: string | null;
  attempts: number;
  expires_at_ms: number | null;
}

/** A change to one message: its new status and what goes with it. */
export interface MessageUpdate {
  messageId: string;
  status: string;
  reason: string | null;
  notBefore?: string;
  parts?: number;
  smscIds?: string;
  submitted?: boolean;
  final?: boolean;
  /** Parts the SMSC accepted in this round. */
  newParts?: { smscId: string; partNo: number }[];
}

export interface PartReceipt {
  smscId: string;
  state: string;
  at: string;
}

export interface RecoverySummary {
  unknown: number;
  resent: number;
}

/** After a crash: what was `submitting` had no recorded answer. Resend for sources that ask for it, else `unknown`. */
export async function recoverInFlight(
  warehouse: Warehouse,
  config: ChannelsConfig,
  now: string,
): Promise<RecoverySummary> {
  const rows = await warehouse.all<{ message_id: string; source: string }>(
    `SELECT message_id, source FROM channel_outbox WHERE status = 'submitting'`,
  );
  if (rows.length === 0) return { unknown: 0, resent: 0 };
  const updates: MessageUpdate[] = rows.map((r) =>
    resendsUnknown(config, r.source)
      ? { messageId: r.message_id, status: 'pending', reason: 'resent_after_crash' }
      : { messageId: r.message_id, status: 'unknown', reason: 'no_answer_before_crash', final: true },
  );
  await warehouse.transaction(() => writeRound(warehouse, { updates, intents: [], now }));
  const resent = updates.filter((u) => u.status === 'pending').length;
  return { unknown: updates.length - resent, resent };
}

export async function fetchDue(
  warehouse: Warehouse,
  options: { now: string; limit: number; channels: readonly Channel[] },
): Promise<DueMessage[]> {
  if (options.channels.length === 0) return [];
  return warehouse.all<DueMessage & Record<string, unknown>>(
    `SELECT message_id, source, kind, channel, recipient, subscriber, subject, text, html, attempts,
            epoch_ms(expires_at) AS expires_at_ms
     FROM channel_outbox
     WHERE status = 'pending' AND not_before <= ?::TIMESTAMP AND channel IN (SELECT unnest(string_split(?, ',')))
     ORDER BY not_before, queued_at, message_id LIMIT ?`,
    [options.now, options.channels.join(','), options.limit],
  );
}

export async function countDue(warehouse: Warehouse, now: string): Promise<number> {
  return warehouse.scalar(
    `SELECT count(*) FROM channel_outbox WHERE status = 'pending' AND not_before <= ?::TIMESTAMP`,
    [now],
  );
}

/** Messages waiting to be tried again (throttled, a temporary error) before `until`: a batch run waits for them. */
export async function countRetrying(warehouse: Warehouse, until: string): Promise<number> {
  return warehouse.scalar(
    `SELECT count(*) FROM channel_outbox WHERE status = 'pending' AND attempts > 0 AND not_before <= ?::TIMESTAMP`,
    [until],
  );
}

/** Parts an SMSC already accepted, per message, so a retry sends only the missing ones. */
export async function acceptedParts(
  warehouse: Warehouse,
  messageIds: readonly string[],
): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  if (messageIds.length === 0) return out;
  const rows = await warehouse.all<{ message_id: string; part_no: number; smsc_id: string }>(
    `SELECT message_id, part_no, smsc_id FROM channel_parts
     WHERE message_id IN (SELECT unnest(string_split(?, chr(10))))`,
    [messageIds.join('\n')],
  );
  for (const r of rows) {
    let parts = out.get(r.message_id);
    if (!parts) {
      parts = new Map();
      out.set(r.message_id, parts);
    }
    parts.set(r.part_no, r.smsc_id);
  }
  return out;
}

/**
 * One commit's writes (the caller wraps them in a transaction): the previous round's outcomes, the
 * receipts that arrived (parts, and the messages they finished), and the next round's intent
 * (`submitting`, attempts + 1). A message changed twice here gets one row update and two history rows.
 */
export async function writeRound(
  warehouse: Warehouse,
  options: {
    updates: readonly MessageUpdate[];
    receipts?: readonly PartReceipt[];
    finals?: readonly MessageUpdate[];
    intents: readonly string[];
    now: string;
  },
): Promise<void> {
  const receiptOf = new Map((options.receipts ?? []).map((r) => [r.smscId, r]));
  const merged = new Map<string, MessageUpdate & { inc?: number }>();
  for (const u of options.updates) merged.set(u.messageId, { ...u });
  for (const f of options.finals ?? []) {
    const earlier = merged.get(f.messageId);
    merged.set(f.messageId, earlier ? { ...earlier, status: f.status, reason: f.reason, final: true } : f);
  }
  for (const id of options.intents) merged.set(id, { messageId: id, status: 'submitting', reason: null, inc: 1 });
  const history = [...options.updates, ...(options.finals ?? [])];
  const parts = options.updates.flatMap((u) =>
    (u.newParts ?? []).map((p) => {
      const receipt = receiptOf.get(p.smscId);
      receiptOf.delete(p.smscId);
      return {
        smsc_id: p.smscId,
        message_id: u.messageId,
        part_no: p.partNo,
        state: receipt?.state ?? null,
        at: receipt?.at ?? null,
      };
    }),
  );
  const now = options.now;
  if (parts.length > 0)
    await warehouse.run(
      `INSERT INTO channel_parts (smsc_id, message_id, part_no, submitted_at, status, receipt_at)
       SELECT smsc_id, message_id, part_no, $1::TIMESTAMP, state, received_at FROM (${selectJsonRows(PART_COLUMNS).replace('?', '$2')})`,
      [now, rowsParam(parts)],
    );
  if (receiptOf.size > 0)
    await warehouse.run(
      `UPDATE channel_parts SET status = v.state, receipt_at = v.received_at
       FROM (${selectJsonRows({ smsc_id: 'VARCHAR', state: 'VARCHAR', received_at: 'TIMESTAMP' })}) AS v
       WHERE channel_parts.smsc_id = v.smsc_id`,
      [rowsParam([...receiptOf.values()].map((r) => ({ smsc_id: r.smscId, state: r.state, received_at: r.at })))],
    );
  await applyUpdates(warehouse, [...merged.values()], now);
  if (history.length > 0)
    await warehouse.run(
      `INSERT INTO channel_status_history (message_id, changed_at, status, reason)
       SELECT id, $1::TIMESTAMP, status, reason FROM (${selectJsonRows(HISTORY_COLUMNS).replace('?', '$2')})`,
      [now, rowsParam(history.map((u) => ({ id: u.messageId, status: u.status, reason: u.reason })))],
    );
}

const UPDATE_COLUMNS: ColumnTypes = {
  id: 'VARCHAR',
  status: 'VARCHAR',
  reason: 'VARCHAR',
  not_before: 'TIMESTAMP',
  parts: 'INTEGER',
  smsc_ids: 'VARCHAR',
  submitted: 'BOOLEAN',
  final: 'BOOLEAN',
  inc: 'INTEGER',
};
const PART_COLUMNS: ColumnTypes = {
  smsc_id: 'VARCHAR',
  message_id: 'VARCHAR',
  part_no: 'INTEGER',
  state: 'VARCHAR',
  received_at: 'TIMESTAMP',
};
const HISTORY_COLUMNS: ColumnTypes = { id: 'VARCHAR', status: 'VARCHAR', reason: 'VARCHAR' };

async function applyUpdates(
  warehouse: Warehouse,
  updates: readonly (MessageUpdate & { inc?: number })[],
  now: string,
): Promise<void> {
  if (updates.length === 0) return;
  const rows = updates.map((u) => ({
    id: u.messageId,
    status: u.status,
    reason: u.reason,
    not_before: u.notBefore ?? null,
    parts: u.parts ?? null,
    smsc_ids: u.smscIds ?? null,
    submitted: u.submitted ?? false,
    final: u.final ?? false,
    inc: u.inc ?? 0,
  }));
  await warehouse.run(
    `UPDATE channel_outbox SET status = v.status, reason = v.reason,
       not_before = coalesce(v.not_before, channel_outbox.not_before),
       parts = coalesce(v.parts, channel_outbox.parts),
       smsc_ids = coalesce(v.smsc_ids, channel_outbox.smsc_ids),
       attempts = channel_outbox.attempts + v.inc,
       submitted_at = CASE WHEN v.submitted THEN coalesce(channel_outbox.submitted_at, $1::TIMESTAMP) ELSE channel_outbox.submitted_at END,
       final_at = CASE WHEN v.final THEN $1::TIMESTAMP ELSE channel_outbox.final_at END,
       updated_at = $1::TIMESTAMP
     FROM (${selectJsonRows(UPDATE_COLUMNS).replace('?', '$2')}) AS v
     WHERE channel_outbox.message_id = v.id`,
    [now, rowsParam(rows)],
  );
}
