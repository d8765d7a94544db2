// What comes back from the SMSC: delivery receipts and subscribers' replies. Both are buffered and
// written with the sender's next round; the deliver_sm is acknowledged only after that commit, so a
// crash loses nothing the SMSC thinks we have. Receipts map back through channel_parts to their
// message; replies with an opt-out word put the number on the opt-out list at once and queue one
// confirmation; other replies are kept as responses to the latest message sent to that number.
import type { PDU } from 'smpp';
import type { Clock } from '../../shared/clock.ts';
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import { rowsParam, selectJsonRows } from '../outbox/json-rows.ts';
import type { ChannelsConfig } from '../outbox/outbound-message.ts';
import { queueMessages } from '../outbox/queue-messages.ts';
import { addOptOuts } from '../policy/contact-lists.ts';
import { type DeliveryReceipt, isReceipt, parseReceipt } from '../sms/delivery-receipt.ts';
import type { MessageUpdate } from './sender-store.ts';

interface Waiting<T> {
  item: T;
  settle: () => void;
  tries: number;
}

interface Reply {
  from: string;
  text: string;
  at: string;
}

/** Receipts for parts not yet recorded (the round's outcome is still in memory) wait this many flushes. */
const MAX_RECEIPT_TRIES = 200;

export class Inbound {
  private receipts: Waiting<DeliveryReceipt & { at: string }>[] = [];
  private replies: Waiting<Reply>[] = [];
  readonly optOutWords: Set<string>;
  counts = { receipts: 0, delivered: 0, failed: 0, replies: 0, optOuts: 0 };

  constructor(
    private readonly options: {
      warehouse: Warehouse;
      config: ChannelsConfig;
      clock: Clock;
      now: () => string;
      /** Told at once about an opt-out, so the batch in flight stops contacting the number. */
      onOptOut: (msisdn: string) => void;
      onReceipt: (smscId: string) => void;
    },
  ) {
    this.optOutWords = new Set(options.config.policy.optOutWords.map((w) => w.trim().toUpperCase()));
  }

  get waiting(): number {
    return this.receipts.length + this.replies.length;
  }

  /** The EsmeClient's onDeliver: resolves when the PDU's content is committed. */
  accept(pdu: PDU): Promise<void> {
    const body = pdu.short_message as { message?: string | Buffer } | Buffer | undefined;
    const raw = Buffer.isBuffer(body) ? body : body?.message;
    const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : String(raw ?? '');
    return new Promise<void>((settle) => {
      if (isReceipt(pdu.esm_class)) {
        const receipt = parseReceipt({
          text,
          receiptedMessageId: pdu.receipted_message_id,
          messageState: pdu.message_state,
        });
        if (!receipt) return settle();
        this.receipts.push({ item: { ...receipt, at: this.options.now() }, settle, tries: 0 });
        return;
      }
      const from = String(pdu.source_addr);
      if (this.optOutWords.has(text.trim().toUpperCase())) this.options.onOptOut(from);
      this.replies.push({ item: { from, text, at: this.options.now() }, settle, tries: 0 });
    });
  }

  /** Replies: written in their own statements (they may queue a confirmation). */
  async flushReplies(): Promise<void> {
    const batch = this.replies;
    this.replies = [];
    if (batch.length === 0) return;
    const { warehouse, config, clock } = this.options;
    const optOuts = batch.filter((r) => this.optOutWords.has(r.item.text.trim().toUpperCase()));
    for (const r of optOuts)
      await addOptOuts(warehouse, [r.item.from], { at: r.item.at, via: `mo:${r.item.text.trim()}` });
    if (optOuts.length > 0)
      await queueMessages(
        warehouse,
        {
          source: 'system',
          sourceRef: 'opt-out-confirmation',
          messages: [...new Set(optOuts.map((r) => r.item.from))].map((msisdn) => ({
            id: `system|opt-out-confirmation|${msisdn}`,
            recipient: msisdn,
            text: config.policy.optOutConfirmation,
          })),
        },
        { config, clock },
      );
    const params: SqlParam[] = [];
    for (const r of batch) params.push(r.item.from, r.item.text, r.item.at, r.item.from, optOuts.includes(r));
    await warehouse.run(
      `INSERT INTO channel_responses (msisdn, text, received_at, message_id, opt_out)
       SELECT v.msisdn, v.text, v.received_at, (SELECT o.message_id FROM channel_outbox o WHERE o.recipient = v.latest_of
                                       AND o.submitted_at IS NOT NULL AND o.source <> 'system'
                                       ORDER BY o.submitted_at DESC LIMIT 1), v.opt_out
       FROM (VALUES ${batch.map(() => '(?, ?, ?::TIMESTAMP, ?, ?::BOOLEAN)').join(', ')}) AS v(msisdn, text, received_at, latest_of, opt_out)`,
      params,
    );
    this.counts.replies += batch.length;
    this.counts.optOuts += optOuts.length;
    for (const r of batch) r.settle();
  }

  /**
   * Receipts: marks the parts and returns the messages whose every part is answered (delivered, or
   * failed/expired at the first bad part). Runs inside the round's transaction; call settleReceipts after it.
   */
  async applyReceipts(): Promise<MessageUpdate[]> {
    const batch = this.receipts;
    this.receipts = [];
    if (batch.length === 0) return [];
    const { warehouse } = this.options;
    const known = await warehouse.all<{ smsc_id: string; message_id: string }>(
      `SELECT smsc_id, message_id FROM channel_parts WHERE smsc_id IN (SELECT unnest(string_split(?, chr(10))))`,
      [batch.map((r) => r.item.smscId).join('\n')],
    );
    const messageOf = new Map(known.map((k) => [k.smsc_id, k.message_id]));
    const matched = batch.filter((r) => messageOf.has(r.item.smscId));
    for (const r of batch)
      if (!messageOf.has(r.item.smscId)) {
        // Not recorded yet (its round is still being written), or not ours: keep it a while.
        if (++r.tries < MAX_RECEIPT_TRIES) this.receipts.push(r);
        else this.done.push(r);
      }
    this.done.push(...matched);
    if (matched.length === 0) return [];
    await warehouse.run(
      `UPDATE channel_parts SET status = v.state, receipt_at = v.received_at
       FROM (${selectJsonRows({ smsc_id: 'VARCHAR', state: 'VARCHAR', received_at: 'TIMESTAMP' })}) AS v
       WHERE channel_parts.smsc_id = v.smsc_id`,
      [rowsParam(matched.map((r) => ({ smsc_id: r.item.smscId, state: r.item.state, received_at: r.item.at })))],
    );
    for (const r of matched) this.options.onReceipt(r.item.smscId);
    this.counts.receipts += matched.length;
    const messages = [...new Set(matched.map((r) => messageOf.get(r.item.smscId)!))];
    const rows = await warehouse.all<{ message_id: string; parts: number; delivered: number; bad: string | null }>(
      `SELECT o.message_id, o.parts,
              count(*) FILTER (WHERE p.status = 'delivered')::INTEGER AS delivered,
              min(p.status) FILTER (WHERE p.status IS NOT NULL AND p.status <> 'delivered') AS bad
       FROM channel_outbox o JOIN channel_parts p USING (message_id)
       WHERE o.message_id IN (SELECT unnest(string_split(?, chr(10)))) AND o.status IN ('submitted', 'submitting')
       GROUP BY ALL`,
      [messages.join('\n')],
    );
    const updates: MessageUpdate[] = [];
    for (const r of rows) {
      if (r.bad) {
        const status = r.bad === 'expired' ? 'expired' : 'failed';
        updates.push({ messageId: r.message_id, status, reason: `receipt_${r.bad}`, final: true });
        this.counts.failed++;
      } else if (r.delivered >= r.parts) {
        updates.push({ messageId: r.message_id, status: 'delivered', reason: null, final: true });
        this.counts.delivered++;
      }
    }
    return updates;
  }

  private done: Waiting<unknown>[] = [];

  /** After the commit: acknowledge the deliver_sm whose content is now safe. */
  settleReceipts(): void {
    for (const r of this.done.splice(0)) r.settle();
  }
}
