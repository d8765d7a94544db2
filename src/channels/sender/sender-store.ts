// The sender's SQL: recover what a dead sender left on the wire, fetch what is due, append each round's
// record (the previous round's outcome with the next round's intent) to the journal in one small commit
// before the round goes out, and fold the journal into the outbox a few times a second. A kill at any
// moment leaves at most one window of intents without an answer (and so `unknown`).
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

/** After a crash: fold the journal, then what was `submitting` had no recorded answer. Resend for sources that ask for it, else `unknown`. */
export async function recoverInFlight(
  warehouse: Warehouse,
  config: ChannelsConfig,
  now: string,
): Promise<RecoverySummary> {
  return warehouse.transaction(async () => {
    await foldSendLog(warehouse, { now });
    const rows = await warehouse.all<{ message_id: string; source: string }>(
      `SELECT message_id, source FROM channel_outbox WHERE status = 'submitting'`,
    );
    if (rows.length === 0) return { unknown: 0, resent: 0 };
    const updates: MessageUpdate[] = rows.map((r) =>
      resendsUnknown(config, r.source)
        ? { messageId: r.message_id, status: 'pending', reason: 'resent_after_crash' }
        : { messageId: r.message_id, status: 'unknown', reason: 'no_answer_before_crash', final: true },
    );
    await writeRound(warehouse, { steps: [{ updates, intents: [], at: now }], now });
    const resent = updates.filter((u) => u.status === 'pending').length;
    return { unknown: updates.length - resent, resent };
  });
}

/**
 * One round's durable record, appended before the round goes on the wire: the previous round's answers
 * and this round's intent. One small row in one commit, instead of updating every message's row.
 */
export async function appendSendLog(
  warehouse: Warehouse,
  options: { updates: readonly MessageUpdate[]; intents: readonly string[]; now: string },
): Promise<void> {
  if (options.updates.length === 0 && options.intents.length === 0) return;
  await warehouse.runAlone(`INSERT INTO channel_send_log (logged_at, updates, intents) VALUES (?::TIMESTAMP, ?, ?)`, [
    options.now,
    JSON.stringify(options.updates),
    JSON.stringify(options.intents),
  ]);
}

/**
 * Folds the journal into the outbox, its parts and its history, with the receipts that arrived, and
 * empties it (the caller wraps this in a transaction). Returns how many journal rows it folded.
 */
export async function foldSendLog(
  warehouse: Warehouse,
  options: {
    receipts?: readonly PartReceipt[];
    finals?: readonly MessageUpdate[];
    now: string;
    /** One more step, written straight to the tables without passing through the journal. */
    step?: RoundStep;
  },
): Promise<number> {
  const rows = await warehouse.all<{ seq: number; at: string; updates: string; intents: string }>(
    `SELECT seq, strftime(logged_at, '%Y-%m-%d %H:%M:%S') AS at, updates, intents FROM channel_send_log ORDER BY seq`,
  );
  const steps: RoundStep[] = rows.map((r) => ({
    updates: JSON.parse(r.updates) as MessageUpdate[],
    intents: JSON.parse(r.intents) as string[],
    at: r.at,
  }));
  if (options.step) steps.push(options.step);
  await writeRound(warehouse, { steps, receipts: options.receipts, finals: options.finals, now: options.now });
  if (rows.length > 0) await warehouse.run('DELETE FROM channel_send_log WHERE seq <= ?', [rows.at(-1)!.seq]);
  return rows.length;
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

/** Which of these messages were held meanwhile (their source paused after the sender fetched them). */
export async function heldAmong(warehouse: Warehouse, messageIds: readonly string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const rows = await warehouse.all<{ message_id: string }>(
    `SELECT message_id FROM channel_outbox
     WHERE status = 'held' AND message_id IN (SELECT unnest(string_split(?, chr(10))))`,
    [messageIds.join('\n')],
  );
  return new Set(rows.map((r) => r.message_id));
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

/** Answers and intents recorded at one moment (one journal row). */
export interface RoundStep {
  updates: readonly MessageUpdate[];
  intents: readonly string[];
  at: string;
}

/**
 * One fold's writes (the caller wraps them in a transaction): the rounds' outcomes and intents in their
 * order (an intent counts an attempt and marks the message `submitting`; a later answer replaces the
 * status), the receipts that arrived (parts, and the messages they finished). A message changed several
 * times here gets one row update and one history row per answer.
 */
export async function writeRound(
  warehouse: Warehouse,
  options: {
    steps: readonly RoundStep[];
    receipts?: readonly PartReceipt[];
    finals?: readonly MessageUpdate[];
    now: string;
  },
): Promise<void> {
  const now = options.now;
  const receiptOf = new Map((options.receipts ?? []).map((r) => [r.smscId, r]));
  const merged = new Map<string, MessageUpdate & { inc: number; at: string }>();
  const history: Record<string, string | null>[] = [];
  const parts: Record<string, string | number | null>[] = [];
  for (const step of options.steps) {
    for (const u of step.updates) {
      const earlier = merged.get(u.messageId);
      merged.set(u.messageId, { ...earlier, ...u, inc: earlier?.inc ?? 0, at: step.at });
      history.push({ id: u.messageId, status: u.status, reason: u.reason, changed: step.at });
      for (const p of u.newParts ?? []) {
        const receipt = receiptOf.get(p.smscId);
        receiptOf.delete(p.smscId);
        parts.push({
          smsc_id: p.smscId,
          message_id: u.messageId,
          part_no: p.partNo,
          submitted_at: step.at,
          state: receipt?.state ?? null,
          received_at: receipt?.at ?? null,
        });
      }
    }
    for (const id of step.intents) {
      const earlier = merged.get(id);
      merged.set(id, {
        ...earlier,
        messageId: id,
        status: 'submitting',
        reason: null,
        final: false,
        inc: (earlier?.inc ?? 0) + 1,
        at: step.at,
      });
    }
  }
  for (const f of options.finals ?? []) {
    const earlier = merged.get(f.messageId);
    merged.set(f.messageId, { ...earlier, ...f, final: true, inc: earlier?.inc ?? 0, at: now });
    history.push({ id: f.messageId, status: f.status, reason: f.reason, changed: now });
  }
  if (parts.length > 0)
    await warehouse.run(
      `INSERT INTO channel_parts (smsc_id, message_id, part_no, submitted_at, status, receipt_at)
       SELECT smsc_id, message_id, part_no, submitted_at, state, received_at FROM (${selectJsonRows(PART_COLUMNS)})`,
      [rowsParam(parts)],
    );
  if (receiptOf.size > 0)
    await warehouse.run(
      `UPDATE channel_parts SET status = v.state, receipt_at = v.received_at
       FROM (${selectJsonRows({ smsc_id: 'VARCHAR', state: 'VARCHAR', received_at: 'TIMESTAMP' })}) AS v
       WHERE channel_parts.smsc_id = v.smsc_id`,
      [rowsParam([...receiptOf.values()].map((r) => ({ smsc_id: r.smscId, state: r.state, received_at: r.at })))],
    );
  await applyUpdates(warehouse, [...merged.values()]);
  if (history.length > 0)
    await warehouse.run(
      `INSERT INTO channel_status_history (message_id, changed_at, status, reason)
       SELECT id, changed, status, reason FROM (${selectJsonRows(HISTORY_COLUMNS)})`,
      [rowsParam(history)],
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
  changed: 'TIMESTAMP',
};
const PART_COLUMNS: ColumnTypes = {
  smsc_id: 'VARCHAR',
  message_id: 'VARCHAR',
  part_no: 'INTEGER',
  submitted_at: 'TIMESTAMP',
  state: 'VARCHAR',
  received_at: 'TIMESTAMP',
};
const HISTORY_COLUMNS: ColumnTypes = { id: 'VARCHAR', status: 'VARCHAR', reason: 'VARCHAR', changed: 'TIMESTAMP' };

async function applyUpdates(
  warehouse: Warehouse,
  updates: readonly (MessageUpdate & { inc: number; at: string })[],
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
    inc: u.inc,
    changed: u.at,
  }));
  await warehouse.run(
    // A message held meanwhile (its campaign paused after this sender fetched it) stays held when the
    // answer only puts it back to wait (deferred, throttled): only a release hands it back to the sender.
    `UPDATE channel_outbox SET
       status = CASE WHEN channel_outbox.status = 'held' AND v.status = 'pending' THEN 'held' ELSE v.status END,
       reason = CASE WHEN channel_outbox.status = 'held' AND v.status = 'pending' THEN channel_outbox.reason ELSE v.reason END,
       not_before = coalesce(v.not_before, channel_outbox.not_before),
       parts = coalesce(v.parts, channel_outbox.parts),
       smsc_ids = coalesce(v.smsc_ids, channel_outbox.smsc_ids),
       attempts = channel_outbox.attempts + v.inc,
       submitted_at = CASE WHEN v.submitted THEN coalesce(channel_outbox.submitted_at, v.changed) ELSE channel_outbox.submitted_at END,
       final_at = CASE WHEN v.final THEN v.changed ELSE channel_outbox.final_at END,
       updated_at = v.changed
     FROM (${selectJsonRows(UPDATE_COLUMNS)}) AS v
     WHERE channel_outbox.message_id = v.id`,
    [rowsParam(rows)],
  );
}
