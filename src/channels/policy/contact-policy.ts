// The one contact policy, as pure judgements over a ContactLedger: once when a message is queued
// (against what is already planned) and again just before it goes out (against what was really sent).
// Marketing obeys all of it; alerts and service messages (the opt-out confirmation) only the
// duplicate rule, because an alert must reach its on-call reader at 3 a.m.
import type { ChannelsConfig, MessageKind } from '../outbox/outbound-message.ts';
import type { ContactLedger } from './contact-ledger.ts';
import { inGlobalControlGroup } from './global-control-group.ts';
import { compileQuietHours, type QuietWindow, quietUntil } from './local-time.ts';

export type SkipReason =
  | 'duplicate'
  | 'opted_out'
  | 'do_not_disturb'
  | 'control_group'
  | 'expired'
  | 'cap_day'
  | 'cap_week'
  | 'cap_month'
  | 'channel_capacity';

export interface Candidate {
  subscriber: string;
  channel: string;
  kind: MessageKind;
  /** `subscriber|text hash`. */
  textKey: string;
  expiresAtMs: number | undefined;
}

export type QueueVerdict =
  | { queue: true; notBeforeMs: number; deferredBy?: 'quiet_hours' }
  | { queue: false; reason: SkipReason };

export type SendVerdict =
  | { send: true }
  | { send: false; deferUntilMs: number; reason: 'quiet_hours' }
  | { send: false; reason: SkipReason };

export class ContactPolicy {
  private readonly quiet: QuietWindow | undefined;

  constructor(private readonly config: ChannelsConfig) {
    this.quiet = compileQuietHours(config.policy.quietHours);
  }

  /** At queue time; a message that passes is recorded in the ledger as planned. */
  judgeQueued(candidate: Candidate, nowMs: number, ledger: ContactLedger): QueueVerdict {
    if (ledger.seen.has(candidate.textKey)) return { queue: false, reason: 'duplicate' };
    if (candidate.kind !== 'marketing') {
      ledger.seen.add(candidate.textKey);
      return { queue: true, notBeforeMs: nowMs };
    }
    const listed = this.listed(candidate, ledger);
    if (listed) return { queue: false, reason: listed };
    const until = quietUntil(this.quiet, nowMs);
    const at = until ?? nowMs;
    if (candidate.expiresAtMs !== undefined && candidate.expiresAtMs <= at) return { queue: false, reason: 'expired' };
    const over = this.overCap(candidate, at, ledger);
    if (over) return { queue: false, reason: over };
    ledger.seen.add(candidate.textKey);
    ledger.record(candidate.subscriber, candidate.channel, at);
    return until === undefined
      ? { queue: true, notBeforeMs: at }
      : { queue: true, notBeforeMs: at, deferredBy: 'quiet_hours' };
  }

  /** Just before sending, against what was really sent; a message that passes is recorded as sent. */
  judgeSend(candidate: Candidate, nowMs: number, ledger: ContactLedger): SendVerdict {
    if (candidate.kind !== 'marketing') return { send: true };
    const listed = this.listed(candidate, ledger);
    if (listed) return { send: false, reason: listed };
    if (candidate.expiresAtMs !== undefined && candidate.expiresAtMs <= nowMs)
      return { send: false, reason: 'expired' };
    const until = quietUntil(this.quiet, nowMs);
    if (until !== undefined) {
      if (candidate.expiresAtMs !== undefined && candidate.expiresAtMs <= until)
        return { send: false, reason: 'expired' };
      return { send: false, deferUntilMs: until, reason: 'quiet_hours' };
    }
    const over = this.overCap(candidate, nowMs, ledger);
    if (over) return { send: false, reason: over };
    ledger.record(candidate.subscriber, candidate.channel, nowMs);
    return { send: true };
  }

  private listed(candidate: Candidate, ledger: ContactLedger): SkipReason | undefined {
    if (ledger.optedOut.has(candidate.subscriber)) return 'opted_out';
    if (ledger.doNotDisturb.has(candidate.subscriber)) return 'do_not_disturb';
    if (inGlobalControlGroup(candidate.subscriber, this.config.policy.controlGroupShare)) return 'control_group';
    return undefined;
  }

  private overCap(candidate: Candidate, atMs: number, ledger: ContactLedger): SkipReason | undefined {
    const policy = this.config.policy;
    const capacity = policy.capacityPerDay[candidate.channel as 'sms' | 'email'] ?? 0;
    if (capacity > 0 && ledger.channelVolume(candidate.channel, atMs) >= capacity) return 'channel_capacity';
    const seen = ledger.contacts(candidate.subscriber, atMs);
    if (policy.capPerDay > 0 && seen.day >= policy.capPerDay) return 'cap_day';
    if (policy.capPerWeek > 0 && seen.week >= policy.capPerWeek) return 'cap_week';
    if (policy.capPerMonth > 0 && seen.month >= policy.capPerMonth) return 'cap_month';
    return undefined;
  }
}
