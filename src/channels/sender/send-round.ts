// One round on the wire: every part of every message of the round submitted (rate-limited, at most
// one window outstanding), then each message's outcome decided from its parts' answers: submitted,
// retried later (throttled or another temporary error), failed (a permanent error), or unknown (sent
// with no answer: the link dropped or the answer timed out; resent only for sources that ask).
import smpp from 'smpp';
import type { SmtpChannel } from '../email/smtp-channel.ts';
import { type ChannelsConfig, resendsUnknown } from '../outbox/outbound-message.ts';
import type { EsmeClient, SubmitOutcome } from '../sms/esme-client.ts';
import { concatReference, encodeSms, type SmsPart } from '../sms/sms-encoding.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { DueMessage, MessageUpdate } from './sender-store.ts';

/** An SMPP answer, or an SMTP refusal. */
type Answer = SubmitOutcome | { status: 'smtp'; temporary: boolean; reason: string };

export interface PlannedMessage {
  message: DueMessage;
  /** Every part of the message (1-based part number) and its SMSC id when already accepted. */
  allParts: number;
  accepted: Map<number, string>;
  /** The parts still to submit (for e-mail, one pseudo-part). */
  parts: { partNo: number; sms?: SmsPart }[];
}

export function planMessage(message: DueMessage, accepted = new Map<number, string>()): PlannedMessage {
  if (message.channel === 'email') return { message, allParts: 1, accepted, parts: [{ partNo: 1 }] };
  const sms = encodeSms(message.text, concatReference(message.message_id));
  return {
    message,
    allParts: sms.length,
    accepted,
    parts: sms.map((part, i) => ({ partNo: i + 1, sms: part })).filter((p) => !accepted.has(p.partNo)),
  };
}

/** Temporary SMPP errors: try again later. Everything else is permanent for that message. */
const TEMPORARY = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL, smpp.ESME_RSYSERR]);

export interface RoundContext {
  esme: EsmeClient | undefined;
  smtp: SmtpChannel | undefined;
  limiter: RateLimiter;
  config: ChannelsConfig;
  sourceAddress: string;
  registeredDelivery: boolean;
  backoffAt: (attempts: number) => string;
  html: (text: string) => string;
}

export interface RoundOutcome {
  updates: MessageUpdate[];
  smscIds: string[];
  lost: boolean;
  throttled: boolean;
}

export async function sendRound(round: readonly PlannedMessage[], context: RoundContext): Promise<RoundOutcome> {
  const answers: Promise<Answer>[][] = [];
  for (const planned of round) {
    const mine: Promise<Answer>[] = [];
    answers.push(mine);
    for (const part of planned.parts) {
      if (planned.message.channel === 'email') {
        mine.push(sendMail(planned.message, context));
        continue;
      }
      await context.limiter.take();
      mine.push(
        context.esme
          ? context.esme.submit({
              source_addr: context.sourceAddress,
              destination_addr: planned.message.recipient,
              registered_delivery: context.registeredDelivery ? 1 : 0,
              data_coding: part.sms!.dataCoding,
              esm_class: part.sms!.esmClass,
              short_message: part.sms!.shortMessage,
            })
          : Promise.resolve({ status: 'unsent' }),
      );
    }
  }
  const outcome: RoundOutcome = { updates: [], smscIds: [], lost: false, throttled: false };
  for (let i = 0; i < round.length; i++) {
    const planned = round[i]!;
    const results = await Promise.all(answers[i]!);
    outcome.updates.push(decide(planned, results, context, outcome));
  }
  return outcome;
}

function decide(
  planned: PlannedMessage,
  results: readonly Answer[],
  context: RoundContext,
  outcome: RoundOutcome,
): MessageUpdate {
  const m = planned.message;
  const attempts = m.attempts + 1;
  const newParts: { smscId: string; partNo: number }[] = [];
  const all = new Map(planned.accepted);
  results.forEach((r, i) => {
    if (r.status === 0 && 'messageId' in r && r.messageId) {
      newParts.push({ smscId: r.messageId, partNo: planned.parts[i]!.partNo });
      all.set(planned.parts[i]!.partNo, r.messageId);
    }
  });
  if (m.channel === 'sms') outcome.smscIds.push(...newParts.map((p) => p.smscId));
  const smscIds = [...all.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, id]) => id)
    .join(',');
  const base = { messageId: m.message_id, newParts, parts: planned.allParts, smscIds: smscIds || undefined };
  const permanent = results.find((r) => typeof r.status === 'number' && r.status !== 0 && !TEMPORARY.has(r.status));
  if (permanent)
    return {
      ...base,
      status: 'failed',
      reason: `smpp_status_0x${(permanent.status as number).toString(16).padStart(2, '0')}`,
      final: true,
    };
  const mail = results.find((r) => r.status === 'smtp') as Extract<Answer, { status: 'smtp' }> | undefined;
  if (mail && !mail.temporary) return { ...base, status: 'failed', reason: mail.reason, final: true };
  if (results.some((r) => r.status === 'lost')) {
    outcome.lost = true;
    return resendsUnknown(context.config, m.source)
      ? { ...base, status: 'pending', reason: 'resent_after_no_answer' }
      : { ...base, status: 'unknown', reason: 'no_answer', final: true };
  }
  const temporary = results.find((r) => r.status !== 0);
  if (temporary) {
    const reason =
      temporary.status === smpp.ESME_RTHROTTLED
        ? 'throttled'
        : temporary.status === 'unsent'
          ? 'link_down'
          : temporary.status === 'smtp'
            ? (temporary as Extract<Answer, { status: 'smtp' }>).reason
            : `temporary_0x${temporary.status.toString(16)}`;
    if (temporary.status === smpp.ESME_RTHROTTLED) outcome.throttled = true;
    if (temporary.status !== 'unsent' && attempts >= context.config.sms.maxAttempts)
      return { ...base, status: 'failed', reason: `too_many_attempts_${reason}`, final: true };
    return {
      ...base,
      status: 'pending',
      reason,
      notBefore: temporary.status === 'unsent' ? undefined : context.backoffAt(attempts),
    };
  }
  return { ...base, status: 'submitted', reason: null, submitted: true, final: m.channel === 'email' };
}

async function sendMail(message: DueMessage, context: RoundContext): Promise<Answer> {
  if (!context.smtp) return { status: 'unsent' };
  const result = await context.smtp.send({
    to: message.recipient,
    subject: message.subject ?? context.config.email.subject,
    text: message.text,
    html: message.html ?? context.html(message.text),
  });
  if (result.ok) return { status: 0, messageId: result.id };
  return { status: 'smtp', temporary: result.temporary, reason: result.reason };
}
