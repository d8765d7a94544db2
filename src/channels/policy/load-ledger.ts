// Fills a ContactLedger from the warehouse for the subscribers at hand: one query per list, with the
// subscribers passed as one newline-joined parameter (never spliced into the SQL).
import type { Warehouse } from '../../warehouse/index.ts';
import { ContactLedger } from './contact-ledger.ts';
import { dayStartMs, formatLocal, MS_PER_DAY, monthStartMs, weekStartMs } from './local-time.ts';

const SUBSCRIBERS = `s AS (SELECT unnest(string_split(?, chr(10))) AS subscriber)`;
/** Statuses that mean a message is planned or went out (not stopped, not failed before sending). */
const PLANNED = `('pending', 'submitting', 'submitted', 'delivered', 'unknown')`;

export interface LedgerScope {
  subscribers: readonly string[];
  nowMs: number;
  /** 'planned': at queue time, by planned send time; 'sent': before sending, by submission time. */
  basis: 'planned' | 'sent';
  duplicateWindowDays?: number;
}

export async function loadLedger(warehouse: Warehouse, scope: LedgerScope): Promise<ContactLedger> {
  const ledger = new ContactLedger();
  const unique = [...new Set(scope.subscribers)];
  if (unique.length === 0) return ledger;
  const list = unique.join('\n');
  for (const r of await warehouse.all<{ msisdn: string }>(
    `WITH ${SUBSCRIBERS} SELECT o.msisdn FROM channel_opt_outs o JOIN s ON o.msisdn = s.subscriber`,
    [list],
  ))
    ledger.optedOut.add(r.msisdn);
  for (const r of await warehouse.all<{ msisdn: string }>(
    `WITH ${SUBSCRIBERS} SELECT d.msisdn FROM channel_dnd d JOIN s ON d.msisdn = s.subscriber`,
    [list],
  ))
    ledger.doNotDisturb.add(r.msisdn);

  const since = formatLocal(Math.min(weekStartMs(scope.nowMs), monthStartMs(scope.nowMs)));
  const at = scope.basis === 'planned' ? 'not_before' : 'submitted_at';
  const which = scope.basis === 'planned' ? `status IN ${PLANNED}` : 'submitted_at IS NOT NULL';
  for (const r of await warehouse.all<{ subscriber: string; channel: string; at_ms: number }>(
    `WITH ${SUBSCRIBERS}
     SELECT o.subscriber, o.channel, epoch_ms(o.${at}) AS at_ms FROM channel_outbox o JOIN s USING (subscriber)
     WHERE o.kind = 'marketing' AND ${which} AND o.${at} >= ?`,
    [list, since],
  ))
    ledger.record(r.subscriber, r.channel, Number(r.at_ms));
  // The volume per channel counts every subscriber, not only those at hand: one grouped query.
  ledger.resetVolume();
  for (const r of await warehouse.all<{ channel: string; day_ms: number; n: number }>(
    `SELECT channel, epoch_ms(date_trunc('day', ${at})) AS day_ms, count(*)::INTEGER AS n FROM channel_outbox
     WHERE kind = 'marketing' AND ${which} AND ${at} >= ? GROUP BY ALL`,
    [formatLocal(dayStartMs(scope.nowMs))],
  ))
    ledger.addVolume(r.channel, Number(r.day_ms), r.n);

  if (scope.duplicateWindowDays !== undefined && scope.duplicateWindowDays > 0) {
    for (const r of await warehouse.all<{ k: string }>(
      `WITH ${SUBSCRIBERS}
       SELECT o.subscriber || '|' || o.text_hash AS k FROM channel_outbox o JOIN s USING (subscriber)
       WHERE o.status IN ${PLANNED} AND o.queued_at >= ?`,
      [list, formatLocal(scope.nowMs - scope.duplicateWindowDays * MS_PER_DAY)],
    ))
      ledger.seen.add(r.k);
  }
  return ledger;
}
