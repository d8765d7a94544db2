// What comes back from the SMSC: delivery receipts and subscribers' replies. Both are buffered and
// written with the sender's next round; the deliver_sm is acknowledged only after that commit, so a
// crash loses nothing the SMSC thinks we have. Receipts map back through channel_parts to their
// message; replies with an opt-out word put the number on the opt-out list at once and queue one
// confirmation; other replies are kept as responses to the latest message sent to that number.
import type { PDU } from 'smpp';
import type { Clock } from '../../shared/clock.ts';
import type { SqlParam, Warehouse } from '../../warehouse/index.ts';
import type { ChannelsConfig } from '../outbox/outbound-message.ts';
import { queueMessages } from '../outbox/queue-messages.ts';
import { addOptOuts } from '../policy/contact-lists.ts';
import { type DeliveryReceipt, isReceipt, parseReceipt } from '../sms/delivery-receipt.ts';
import type { DeliveryTracker } from './delivery-tracker.ts';
import type { MessageUpdate, PartReceipt } from './sender-store.ts';

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
   * Receipts matched to their parts through the tracker (asking the warehouse about parts of earlier
   * runs): the parts' states and the messages they decide. Call settleReceipts after the commit.
   */
  async takeReceipts(tracker: DeliveryTracker): Promise<{ parts: PartReceipt[]; finals: MessageUpdate[] }> {
    const batch = this.receipts;
    this.receipts = [];
    if (batch.length === 0) return { parts: [], finals: [] };
    const strangers = batch.filter((r) => !tracker.knows(r.item.smscId)).map((r) => r.item.smscId);
    await tracker.learn(this.options.warehouse, strangers);
    const parts: PartReceipt[] = [];
    const finals: MessageUpdate[] = [];
    for (const r of batch) {
      if (!tracker.knows(r.item.smscId)) {
        // Not recorded yet (its round is still being written), or not ours: keep it a while.
        if (++r.tries < MAX_RECEIPT_TRIES) this.receipts.push(r);
        else this.done.push(r);
        continue;
      }
      this.done.push(r);
      parts.push({ smscId: r.item.smscId, state: r.item.state, at: r.item.at });
      this.options.onReceipt(r.item.smscId);
      const final = tracker.answer(r.item.smscId, r.item.state);
      if (final) {
        finals.push(final);
        if (final.status === 'delivered') this.counts.delivered++;
        else this.counts.failed++;
      }
    }
    this.counts.receipts += parts.length;
    return { parts, finals };
  }

  private done: Waiting<unknown>[] = [];

  /** After the commit: acknowledge the deliver_sm whose content is now safe. */
  settleReceipts(): void {
    for (const r of this.done.splice(0)) r.settle();
  }
}
