// The words of the outbox: what a source hands in, and the states a message passes through.
import type { Config } from '../../config/config.ts';

export type ChannelsConfig = Config['channels'];
export type Channel = 'sms' | 'email';
export type MessageKind = 'marketing' | 'alert' | 'service';

/**
 * pending → submitting (intent written before the wire) → submitted (with the SMSC's id) →
 * delivered | failed | expired; `unknown` when the sender died or the link dropped with the
 * submission unanswered; `skipped` when the contact policy stopped it (with the reason); `held` while
 * its source is paused (a campaign): the sender never fetches it, and a release makes it `pending` again.
 */
export const messageStatuses = [
  'pending',
  'submitting',
  'submitted',
  'delivered',
  'failed',
  'expired',
  'unknown',
  'skipped',
  'held',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** One message a source wants sent. */
export interface OutboundMessage {
  /** Stable id from the source (a decision id, `campaign|msisdn`), so queueing it again changes nothing. */
  id?: string;
  /** An 11-digit MSISDN for SMS, an address for e-mail. */
  recipient: string;
  /** Whom caps, opt-out and the control group apply to when the recipient is an e-mail address. */
  subscriber?: string;
  text: string;
  html?: string;
  subject?: string;
  area?: string;
  serviceId?: string;
  /** Local wall-clock ms after which the message is worthless; default policy.expiryHours after queueing. */
  expiresAtMs?: number;
}

export interface QueueRequest {
  /** trigger, campaign, adhoc, alert, system (see config channels.sources). */
  source: string;
  /** Rule id, campaign id, list name, alert id. */
  sourceRef?: string;
  channel?: Channel;
  messages: readonly OutboundMessage[];
}

export interface QueueResult {
  queued: number;
  /** Skipped by the policy, by reason (the skipped rows stay in the outbox with the reason). */
  skipped: Record<string, number>;
  /** Queued but held until later (quiet hours), by reason. */
  deferred: Record<string, number>;
  /** Ids of the messages queued, in the order given. */
  ids: string[];
}

export function kindOf(config: ChannelsConfig, source: string): MessageKind {
  return config.sources[source]?.kind ?? 'marketing';
}

export function resendsUnknown(config: ChannelsConfig, source: string): boolean {
  return config.sources[source]?.resendUnknown ?? false;
}
