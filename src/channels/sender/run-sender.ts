// The sender: takes what is due from the outbox, judges it again by the contact policy, and sends it
// in rounds of at most one window of submit_sm. Each round's intent is committed before its first byte
// goes out, together with the previous round's outcome, as one row of the sender's journal (one small
// append: a commit that updates every message's row costs several times more, and that was what held
// the rate under 1,000/s); the journal is folded into the outbox a few times a second. So a kill -9 at
// any moment leaves at most one window without a recorded answer, which the next start marks `unknown`
// (or resends, for sources that ask for it) instead of sending twice.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { SmtpChannel, textToHtml } from '../email/smtp-channel.ts';
import type { Channel, ChannelsConfig } from '../outbox/outbound-message.ts';
import { ContactLedger } from '../policy/contact-ledger.ts';
import { ContactPolicy } from '../policy/contact-policy.ts';
import { loadLedger } from '../policy/load-ledger.ts';
import { formatLocal, localNowMs } from '../policy/local-time.ts';
import { EsmeClient } from '../sms/esme-client.ts';
import type { SmscAddress } from '../sms/smpp-url.ts';
import { setLiveSender } from '../outbox/channels-status.ts';
import { DeliveryTracker } from './delivery-tracker.ts';
import { Inbound } from './inbound.ts';
import { RateLimiter } from './rate-limiter.ts';
import { type PlannedMessage, planMessage, sendRound } from './send-round.ts';
import {
  acceptedParts,
  appendSendLog,
  countDue,
  countRetrying,
  type DueMessage,
  fetchDue,
  foldSendLog,
  heldAmong,
  type RoundStep,
  type MessageUpdate,
  recoverInFlight,
} from './sender-store.ts';

/** `--once` waits for retries due within this long (throttling backs off 2, 4, 8… seconds). */
const RETRY_HORIZON_MS = 5 * 60_000;
/** How stale the outbox's tables may get while a batch runs: the journal is folded at least this often. */
const FOLD_MS = 500;

export interface SenderOptions {
  warehouse: Warehouse;
  config: ChannelsConfig;
  clock: Clock;
  smsc?: SmscAddress;
  smtpUrl?: string;
  tps?: number;
  window?: number;
  /** Stop when nothing is due and every submitted SMS has its receipt (or receiptWaitSec passed). */
  once?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SenderProgress) => void;
  pageSize?: number;
  idleMs?: number;
  backoffMs?: number;
  /**
   * `false`: write every round's statuses straight into the outbox in one transaction per window, as
   * the sender did before the journal; kept so the send benchmark measures both in the same run.
   */
  journal?: boolean;
}

export interface SenderProgress {
  bound: boolean;
  submitted: number;
  delivered: number;
  failed: number;
  unknown: number;
  skipped: number;
  deferred: number;
  retried: number;
  replies: number;
  optOuts: number;
  recovered: { unknown: number; resent: number };
  windowInUse: number;
  queueDepth: number;
  ratePerSec: number;
  reconnects: number;
}

export async function runSender(options: SenderOptions): Promise<SenderProgress> {
  const { warehouse, config, clock } = options;
  const window = options.window ?? config.sms.window;
  const now = () => formatLocal(localNowMs(clock, config.utcOffsetMinutes));
  const policy = new ContactPolicy(config);
  let ledger = new ContactLedger();
  const tracker = new DeliveryTracker();
  let lastSubmitMs = 0;
  const progress: SenderProgress = {
    bound: false,
    submitted: 0,
    delivered: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    deferred: 0,
    retried: 0,
    replies: 0,
    optOuts: 0,
    recovered: { unknown: 0, resent: 0 },
    windowInUse: 0,
    queueDepth: 0,
    ratePerSec: 0,
    reconnects: 0,
  };
  const optedOutNow = new Set<string>();
  const inbound = new Inbound({
    warehouse,
    config,
    clock,
    now,
    onOptOut: (msisdn) => {
      optedOutNow.add(msisdn);
      ledger.optedOut.add(msisdn);
    },
    onReceipt: () => undefined,
  });
  const esme = options.smsc
    ? new EsmeClient({
        ...options.smsc,
        systemType: config.sms.systemType,
        addressRange: config.sms.addressRange,
        bind: config.sms.bind,
        enquireLinkSec: config.sms.enquireLinkSec,
        responseTimeoutSec: config.sms.responseTimeoutSec,
        onDeliver: (pdu) => inbound.accept(pdu),
        backoffMs: options.backoffMs,
      })
    : undefined;
  const smtp = options.smtpUrl ? new SmtpChannel(options.smtpUrl, config.email.from) : undefined;
  const channels: Channel[] = [...(esme ? (['sms'] as const) : []), ...(smtp ? (['email'] as const) : [])];
  if (channels.length === 0)
    throw new AppError(
      'USAGE',
      'nothing to send with: give --smsc smpp://ID:PW@HOST:PORT and/or --smtp smtp://HOST:PORT',
    );
  const limiter = new RateLimiter(options.tps ?? config.sms.tps);
  const stopped = () => options.signal?.aborted === true;
  const startedMs = performance.now();

  setLiveSender(progress);
  progress.recovered = await recoverInFlight(warehouse, config, now());
  progress.unknown += progress.recovered.unknown;

  let foldedAtMs = performance.now();
  /** The journal, receipts and replies into the outbox's tables; the receipts are acknowledged after. */
  const fold = async (step?: RoundStep) => {
    foldedAtMs = performance.now();
    await warehouse.transaction(async () => {
      const { parts, finals } = await inbound.takeReceipts(tracker);
      for (const u of finals) progress[u.status === 'delivered' ? 'delivered' : 'failed']++;
      await foldSendLog(warehouse, { receipts: parts, finals, now: now(), step });
    });
    inbound.settleReceipts();
    // After the fold, so a reply finds the message it answers.
    await inbound.flushReplies();
    progress.replies = inbound.counts.replies;
    progress.optOuts = inbound.counts.optOuts;
  };
  /**
   * One small commit before a round goes out: the previous round's outcome and the next round's intent.
   * Folded at once when asked (nothing left only in memory), or when the last fold is FOLD_MS old.
   */
  const commit = async (updates: MessageUpdate[], intents: string[], foldNow = false) => {
    if (options.journal === false) return fold({ updates, intents, at: now() });
    await appendSendLog(warehouse, { updates, intents, now: now() });
    if (foldNow || performance.now() - foldedAtMs >= FOLD_MS) await fold();
  };
  const report = () => {
    progress.bound = esme?.bound ?? false;
    progress.reconnects = esme?.reconnects ?? 0;
    progress.ratePerSec = Math.round(progress.submitted / Math.max(0.001, (performance.now() - startedMs) / 1000));
    options.onProgress?.(progress);
  };

  try {
    // --once is a batch job: an SMSC that never answers is an error, not a wait without end.
    if (esme) await esme.ensureBound(stopped, options.once ? 8 : undefined);
    let carry: MessageUpdate[] = [];
    while (!stopped()) {
      const nowMs = localNowMs(clock, config.utcOffsetMinutes);
      const page = await fetchDue(warehouse, { now: formatLocal(nowMs), limit: options.pageSize ?? 500, channels });
      progress.queueDepth = page.length < (options.pageSize ?? 500) ? page.length : await countDue(warehouse, now());
      if (page.length === 0) {
        await commit(carry, [], true);
        carry = [];
        report();
        const waitedOut = performance.now() - lastSubmitMs > config.sms.receiptWaitSec * 1000;
        if (
          options.once &&
          inbound.waiting === 0 &&
          (tracker.awaiting === 0 || !config.sms.registeredDelivery || waitedOut) &&
          (await countRetrying(warehouse, formatLocal(nowMs + RETRY_HORIZON_MS))) === 0
        )
          break;
        await new Promise((r) => setTimeout(r, options.idleMs ?? 200));
        continue;
      }
      ledger = await loadLedger(warehouse, { subscribers: page.map((m) => m.subscriber), nowMs, basis: 'sent' });
      for (const msisdn of optedOutNow) ledger.optedOut.add(msisdn);
      const retries = await acceptedParts(
        warehouse,
        page.filter((m) => m.attempts > 0).map((m) => m.message_id),
      );
      let index = 0;
      let held = new Set<string>();
      let heldCheckedMs = performance.now();
      while (index < page.length && !stopped()) {
        // A source paused while this page goes out (a campaign's pause holds its messages): the rest of
        // the page is checked at most every FOLD_MS, so sending stops within about that, for one query.
        if (performance.now() - heldCheckedMs >= FOLD_MS) {
          heldCheckedMs = performance.now();
          held = await heldAmong(
            warehouse,
            page.slice(index).map((m) => m.message_id),
          );
        }
        const round: PlannedMessage[] = [];
        let pdus = 0;
        while (index < page.length) {
          const message: DueMessage = page[index]!;
          if (held.has(message.message_id)) {
            // Left as it is: `held` in the outbox until a release makes it pending again.
            index++;
            continue;
          }
          // Fit first, judge after: a message judged is recorded as a contact, so it must then go in this round.
          let planned: PlannedMessage;
          try {
            planned = planMessage(message, retries.get(message.message_id));
          } catch {
            index++;
            progress.failed++;
            carry.push({ messageId: message.message_id, status: 'failed', reason: 'text_too_long', final: true });
            continue;
          }
          if (round.length > 0 && pdus + planned.parts.length > window) break;
          index++;
          const verdict = policy.judgeSend(
            {
              subscriber: message.subscriber,
              channel: message.channel,
              kind: message.kind,
              textKey: '',
              expiresAtMs: message.expires_at_ms ?? undefined,
            },
            localNowMs(clock, config.utcOffsetMinutes),
            ledger,
          );
          if (!verdict.send) {
            if ('deferUntilMs' in verdict) {
              progress.deferred++;
              carry.push({
                messageId: message.message_id,
                status: 'pending',
                reason: verdict.reason,
                notBefore: formatLocal(verdict.deferUntilMs),
              });
            } else {
              const status = verdict.reason === 'expired' ? 'expired' : 'skipped';
              progress.skipped++;
              carry.push({ messageId: message.message_id, status, reason: `${verdict.reason}_at_send`, final: true });
            }
            continue;
          }
          round.push(planned);
          pdus += planned.parts.length;
        }
        await commit(
          carry,
          round.map((p) => p.message.message_id),
        );
        carry = [];
        if (round.length === 0) continue;
        if (esme && !esme.bound && round.some((p) => p.message.channel === 'sms')) await esme.ensureBound(stopped);
        progress.windowInUse = pdus;
        const outcome = await sendRound(round, {
          esme,
          smtp,
          limiter,
          config,
          sourceAddress: config.sms.sourceAddress,
          registeredDelivery: config.sms.registeredDelivery,
          backoffAt: (attempts) =>
            formatLocal(localNowMs(clock, config.utcOffsetMinutes) + Math.min(300, 2 ** attempts) * 1000),
          html: (text) => textToHtml(text),
        });
        progress.windowInUse = 0;
        lastSubmitMs = performance.now();
        for (const u of outcome.updates) {
          if (u.status === 'submitted') progress.submitted++;
          else if (u.status === 'unknown') progress.unknown++;
          else if (u.status === 'failed') progress.failed++;
          else if (u.status === 'pending') progress.retried++;
        }
        if (config.sms.registeredDelivery)
          round.forEach((planned, i) => {
            const u = outcome.updates[i]!;
            if (planned.message.channel === 'sms' && u.status === 'submitted')
              tracker.noteSubmitted(
                u.messageId,
                planned.allParts,
                (u.newParts ?? []).map((p) => p.smscId),
                planned.accepted.size,
              );
          });
        carry = outcome.updates;
        report();
        if (outcome.lost && esme) await esme.ensureBound(stopped);
        // Throttled: give the SMSC a breath before the next round.
        if (outcome.throttled) await new Promise((r) => setTimeout(r, 200));
      }
      await commit(carry, [], true);
      carry = [];
    }
    await commit(carry, [], true);
  } finally {
    setLiveSender(undefined);
    await esme?.close();
    smtp?.close();
  }
  report();
  return progress;
}
