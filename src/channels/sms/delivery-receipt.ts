// Delivery receipts: the SMSC's message id from the receipted_message_id TLV or from the text
// (`id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:…`), and the final state mapped to
// ours: delivered, undeliverable, expired, rejected.

export type ReceiptState = 'delivered' | 'undeliverable' | 'expired' | 'rejected';

export interface DeliveryReceipt {
  smscId: string;
  state: ReceiptState;
  /** The SMSC's raw state word, e.g. DELIVRD. */
  stat: string;
}

const STAT: Record<string, ReceiptState> = {
  DELIVRD: 'delivered',
  UNDELIV: 'undeliverable',
  EXPIRED: 'expired',
  REJECTD: 'rejected',
  DELETED: 'undeliverable',
  UNKNOWN: 'undeliverable',
};
/** message_state TLV values (SMPP 3.4 §5.3.2.35). */
const MESSAGE_STATE: Record<number, ReceiptState> = {
  2: 'delivered',
  3: 'expired',
  4: 'undeliverable',
  5: 'undeliverable',
  8: 'rejected',
};

export function isReceipt(esmClass: number): boolean {
  return (esmClass & 0x3c) === 0x04;
}

export function parseReceipt(input: {
  text: string;
  receiptedMessageId?: string;
  messageState?: number;
}): DeliveryReceipt | undefined {
  const id = /\bid:(\S+)/i.exec(input.text)?.[1];
  const stat = /\bstat:(\w+)/i.exec(input.text)?.[1]?.toUpperCase();
  const smscId = input.receiptedMessageId || id;
  if (!smscId) return undefined;
  const state =
    (stat && STAT[stat]) || (input.messageState !== undefined ? MESSAGE_STATE[input.messageState] : undefined);
  if (!state) return undefined;
  return { smscId, state, stat: stat ?? String(input.messageState) };
}

/** The receipt text an SMSC sends; our local SMSC uses it. */
export function formatReceiptText(smscId: string, stat: string, submittedAt: Date, doneAt: Date): string {
  const t = (d: Date) => d.toISOString().replace(/[-T:]/g, '').slice(2, 12);
  const delivered = stat === 'DELIVRD' ? '001' : '000';
  return `id:${smscId} sub:001 dlvrd:${delivered} submit date:${t(submittedAt)} done date:${t(doneAt)} stat:${stat} err:000 text:`;
}
