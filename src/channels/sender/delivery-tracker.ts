// Which message each SMSC id belongs to, and which parts of each message have their receipt, kept in
// memory for what this run submitted (and looked up in channel_parts for what an earlier run did), so
// a receipt costs no query. A message is final at its first bad part, or when every part is delivered.
import type { Warehouse } from '../../warehouse/index.ts';
import type { ReceiptState } from '../sms/delivery-receipt.ts';
import type { MessageUpdate } from './sender-store.ts';

interface Tracked {
  parts: number;
  delivered: number;
}

export class DeliveryTracker {
  private readonly messageOf = new Map<string, string>();
  private readonly tracked = new Map<string, Tracked>();

  /** Parts submitted and not yet answered by a receipt. */
  get awaiting(): number {
    return this.messageOf.size;
  }

  noteSubmitted(messageId: string, parts: number, smscIds: readonly string[], alreadyDelivered = 0): void {
    for (const id of smscIds) this.messageOf.set(id, messageId);
    const t = this.tracked.get(messageId);
    if (t) t.parts = parts;
    else this.tracked.set(messageId, { parts, delivered: alreadyDelivered });
  }

  knows(smscId: string): boolean {
    return this.messageOf.has(smscId);
  }

  /** Learns the parts of earlier runs' messages from the warehouse. */
  async learn(warehouse: Warehouse, smscIds: readonly string[]): Promise<void> {
    if (smscIds.length === 0) return;
    const rows = await warehouse.all<{ message_id: string; parts: number; delivered: number; ids: string }>(
      `SELECT o.message_id, o.parts, count(*) FILTER (WHERE p.status = 'delivered')::INTEGER AS delivered,
              string_agg(p.smsc_id, ',') FILTER (WHERE p.status IS NULL) AS ids
       FROM channel_outbox o JOIN channel_parts p USING (message_id)
       WHERE o.status = 'submitted' AND o.message_id IN (
         SELECT message_id FROM channel_parts WHERE smsc_id IN (SELECT unnest(string_split(?, chr(10)))))
       GROUP BY ALL`,
      [smscIds.join('\n')],
    );
    for (const r of rows)
      if (!this.tracked.has(r.message_id))
        this.noteSubmitted(r.message_id, r.parts, r.ids ? r.ids.split(',') : [], r.delivered);
  }

  /** A receipt for a known part: the message's final update when this answer decides it. */
  answer(smscId: string, state: ReceiptState): MessageUpdate | undefined {
    const messageId = this.messageOf.get(smscId);
    if (messageId === undefined) return undefined;
    this.messageOf.delete(smscId);
    const t = this.tracked.get(messageId);
    if (!t) return undefined;
    if (state === 'delivered') {
      t.delivered++;
      if (t.delivered < t.parts) return undefined;
      this.tracked.delete(messageId);
      return { messageId, status: 'delivered', reason: null, final: true };
    }
    this.tracked.delete(messageId);
    return { messageId, status: state === 'expired' ? 'expired' : 'failed', reason: `receipt_${state}`, final: true };
  }
}
