// The stream's heart: per event, update the subscriber's cell, geofences and behaviour hits, evaluate
// the rules of the geofences involved, and turn each match into a decision (send, control, suppressed).
// Event time comes from the events; the Clock only stamps decisions.
import type { Clock } from '../../shared/clock.ts';
import { eventDay } from '../events/event-time.ts';
import type { RejectionCode, SignallingEvent } from '../events/signalling-event.ts';
import { CellDirectory } from '../geofences/cell-directory.ts';
import { Geofences } from '../geofences/geofences.ts';
import type { CompiledRule } from '../rules/compile-rule.ts';
import { RuleSet } from '../rules/rule-set.ts';
import type { RuleFileDefaults } from '../rules/rule-schema.ts';
import { SignalCatalogue } from '../rules/signal-catalogue.ts';
import { NumberTable } from '../state/number-table.ts';
import { FENCE_WORDS, SubscriberState, UNKNOWN_CODE } from '../state/subscriber-state.ts';
import { AreaCounters } from './area-counters.ts';
import { isControl } from './control-group.ts';
import { type Decision, type DecisionStatus, decisionId, type SuppressionReason } from './decision.ts';
import type { Reward, RewardOffer } from './reward.ts';
import { isQuiet } from './quiet-hours.ts';

export interface TriggerEngineOptions {
  cells?: CellDirectory;
  clock: Clock;
  expectedSubscribers?: number;
  defaults?: Partial<RuleFileDefaults>;
  /** Peers whose callers the area view counts (114 and 12580 by default). */
  watchPeers?: readonly string[];
  onDecision?: (decision: Decision) => void;
  onReward?: (reward: Reward) => void;
}

export interface EngineCounters {
  events: number;
  rejected: number;
  /** Rejected lines and events by reason code (they add up to `rejected`). */
  rejectedBy: Record<RejectionCode, number>;
  duplicates: number;
  decisions: number;
}

const SUPPRESSION_BIT: Record<SuppressionReason, number> = { cap: 1, opted_out: 2, quiet_hours: 4 };
const NO_FENCES = new Int16Array(0);
const RULE_KEY = 1024;

export class TriggerEngine {
  readonly cells: CellDirectory;
  readonly state: SubscriberState;
  readonly geofences: Geofences;
  readonly signals = new SignalCatalogue();
  readonly rules: RuleSet;
  readonly areas = new AreaCounters();
  readonly counters: EngineCounters = {
    events: 0,
    rejected: 0,
    rejectedBy: { malformed: 0, clock_skew: 0, unknown_cell: 0 },
    duplicates: 0,
    decisions: 0,
  };
  readonly watched: { peer: string; signal: number }[];
  /** Last source position processed; events at or before it are skipped as duplicates. */
  position = -1;
  /**
   * Last position processed per lane, for sources that interleave several ordered lanes (the partitions
   * of a NATS stream, each read by its own consumer): positions only increase within a lane.
   */
  readonly lanes = new Map<number, number>();
  /** Latest event time seen (ms). */
  watermarkMs = 0;
  /** (subscriber, rule slot) → last day a message or control decision was made. */
  readonly lastDecidedDay = new NumberTable(4096);
  /** (subscriber, rule slot) → day * 8 | suppression reasons already recorded that day. */
  readonly suppressedToday = new NumberTable(4096);
  onDecision: (decision: Decision) => void;
  onReward: (reward: Reward) => void;
  /** (subscriber, rule slot) → the open offer of a rule with a reward, counting the behaviour since. */
  readonly offers = new Map<number, RewardOffer>();
  private readonly clock: Clock;
  private arrivedAtMs = 0;

  constructor(options: TriggerEngineOptions) {
    this.cells = options.cells ?? new CellDirectory();
    this.clock = options.clock;
    this.state = new SubscriberState(options.expectedSubscribers ?? 1024);
    this.geofences = new Geofences(this.cells);
    this.rules = new RuleSet(
      { geofences: this.geofences, signals: this.signals, state: this.state },
      { quiet_hours: { from: '21:00', to: '08:00' }, control: 0.1, cap_days: 1, ...options.defaults },
    );
    this.watched = (options.watchPeers ?? ['114', '12580']).map((peer) => ({
      peer,
      signal: this.signals.idOf('call_out', peer),
    }));
    this.onDecision = options.onDecision ?? (() => undefined);
    this.onReward = options.onReward ?? (() => undefined);
  }

  /** Processes one event; `position` (a byte offset or a stream sequence) makes repeats harmless. */
  process(event: SignallingEvent, position = -1, arrivedAtMs?: number): void {
    if (position >= 0) {
      if (position <= this.position) {
        this.counters.duplicates++;
        return;
      }
      this.position = position;
    }
    this.counters.events++;
    this.arrivedAtMs = arrivedAtMs ?? 0;
    if (event.tsMs > this.watermarkMs) this.watermarkMs = event.tsMs;
    const state = this.state;
    const sub = state.indexOf(event.msisdn);
    const sec = Math.floor(event.tsMs / 1000);
    const cell = this.cells.indexOf(event.cellId);
    // After a detach the phone is off: no current cell until it is seen again.
    state.cell[sub] = event.event === 'detach' ? -1 : cell;
    state.lastSeenSec[sub] = sec;
    const hits = this.signals.match(event.event, event.peer);
    for (let i = 0; i < hits.length; i++) state.addHit(sub, hits[i]!, sec);
    // Before the rules: the event that makes an offer does not count towards its reward.
    if (hits.length > 0 && this.offers.size > 0) this.countRewards(event, sub, sec, hits);

    const index = this.rules.index;
    const fencesNow = event.event === 'detach' ? NO_FENCES : this.geofences.fencesOfCell(cell);
    const fences = state.fences;
    const base = sub * FENCE_WORDS;
    const end = base + FENCE_WORDS;
    const fenceCount = fencesNow.length;
    // Leaving: fences the subscriber was inside that the current cell is not part of.
    for (let w = base; w < end; w += 2) {
      const held = fences[w]!;
      if (held === 0) continue;
      const fence = held - 1;
      let still = false;
      for (let i = 0; i < fenceCount; i++) if (fencesNow[i] === fence) still = true;
      if (still) continue;
      const dwell = sec - fences[w + 1]!;
      fences[w] = 0;
      this.areas.of(fence).leaves++;
      const rules = index.leave[fence];
      if (rules) for (let r = 0; r < rules.length; r++) this.evaluate(rules[r]!, event, sub, sec, fence, dwell);
    }
    for (let i = 0; i < fenceCount; i++) {
      const fence = fencesNow[i]!;
      this.areas.of(fence).events++;
      let slot = -1;
      let free = -1;
      for (let w = base; w < end; w += 2) {
        const held = fences[w]!;
        if (held === fence + 1) slot = w;
        else if (held === 0 && free < 0) free = w;
      }
      if (slot < 0) {
        slot = free;
        if (slot < 0) continue; // inside more fences than slots: this one is not tracked
        fences[slot] = fence + 1;
        fences[slot + 1] = sec;
        this.areas.of(fence).enters++;
        const rules = index.enter[fence];
        if (rules) for (let r = 0; r < rules.length; r++) this.evaluate(rules[r]!, event, sub, sec, fence, 0);
      }
      const rules = index.inside[fence];
      if (rules) {
        const dwell = sec - fences[slot + 1]!;
        for (let r = 0; r < rules.length; r++) this.evaluate(rules[r]!, event, sub, sec, fence, dwell);
      }
    }
    const anywhere = index.anywhere;
    for (let r = 0; r < anywhere.length; r++) this.evaluate(anywhere[r]!, event, sub, sec, -1, 0);
  }

  /**
   * Takes a line of a lane: false (counted as a duplicate) when the lane is already past its position,
   * so a batch delivered again after a restart or a redelivery changes nothing.
   */
  enterLane(lane: number, position: number): boolean {
    if (position <= (this.lanes.get(lane) ?? -1)) {
      this.counters.duplicates++;
      return false;
    }
    this.lanes.set(lane, position);
    return true;
  }

  /** Moves the position past a line that carried no event (blank, header). */
  advance(position: number): void {
    if (position > this.position) this.position = position;
  }

  /** Counts a rejected line or event (the engine's counters are the stream's outcome totals). */
  reject(position = -1, code: RejectionCode = 'malformed'): void {
    this.counters.rejected++;
    this.counters.rejectedBy[code]++;
    if (position > this.position) this.position = position;
  }

  private evaluate(
    rule: CompiledRule,
    event: SignallingEvent,
    sub: number,
    sec: number,
    fence: number,
    dwell: number,
  ): void {
    if (rule.dwellSec > 0 && dwell < rule.dwellSec) return;
    const state = this.state;
    if (rule.brandMask !== 0) {
      const brand = state.brand[sub]!;
      if (brand === UNKNOWN_CODE || (rule.brandMask & (1 << brand)) === 0) return;
    }
    if (rule.segments && !rule.segments.has(state.segment[sub]!)) return;
    for (const score of rule.scores) {
      const value = state.scoreColumn(score.model)[sub]!;
      if (!(value >= score.min && value <= score.max)) return;
    }
    const all = rule.all;
    for (let i = 0; i < all.length; i++) {
      const c = all[i]!;
      if (this.hitsOf(sub, c.signals, sec - c.withinSec, sec) < c.atLeast) return;
    }
    const none = rule.none;
    for (let i = 0; i < none.length; i++) {
      const c = none[i]!;
      if (this.hitsOf(sub, c.signals, sec - c.withinSec, sec) > 0) return;
    }
    this.decide(rule, event, sub, fence, dwell);
  }

  private countRewards(event: SignallingEvent, sub: number, sec: number, hits: readonly number[]): void {
    const rewarded = this.rules.index.rewarded;
    for (let r = 0; r < rewarded.length; r++) {
      const rule = rewarded[r]!;
      const reward = rule.reward!;
      if (!hits.includes(reward.signal)) continue;
      const key = sub * RULE_KEY + rule.slot;
      const offer = this.offers.get(key);
      if (!offer) continue;
      if (sec - offer.offerSec > reward.withinSec) {
        this.offers.delete(key);
        continue;
      }
      offer.count++;
      if (offer.count < reward.count) continue;
      this.offers.delete(key);
      this.onReward({
        rewardId: `${offer.offerId}:reward`,
        ruleId: rule.id,
        ruleVersion: rule.version,
        msisdn: event.msisdn,
        offerId: offer.offerId,
        kind: reward.kind,
        amount: reward.amount,
        description: reward.description,
        behaviour: reward.label,
        count: offer.count,
        offeredTsMs: offer.offerTsMs,
        reachedTsMs: event.tsMs,
        grantedAtMs: this.clock.nowMs(),
      });
    }
  }

  private hitsOf(sub: number, signals: readonly number[], fromSec: number, toSec: number): number {
    let hits = 0;
    for (let i = 0; i < signals.length; i++) hits += this.state.countHits(sub, signals[i]!, fromSec, toSec);
    return hits;
  }

  private decide(rule: CompiledRule, event: SignallingEvent, sub: number, fence: number, dwell: number): void {
    const day = eventDay(event.tsMs);
    const key = sub * RULE_KEY + rule.slot;
    let suppression: SuppressionReason | undefined;
    const last = this.lastDecidedDay.get(key);
    if (rule.capDays > 0 && last >= 0 && day - last < rule.capDays) suppression = 'cap';
    else if (this.state.optedOut[sub] === 1) suppression = 'opted_out';
    else if (isQuiet(rule.quiet, event.tsMs)) suppression = 'quiet_hours';
    if (suppression) {
      // Recorded once per subscriber, rule, reason and day, not on every later event.
      const seen = this.suppressedToday.get(key);
      const bits = seen >= 0 && seen >> 3 === day ? seen & 7 : 0;
      const bit = SUPPRESSION_BIT[suppression];
      if (bits & bit) return;
      this.suppressedToday.set(key, (day << 3) | bits | bit);
      if (fence >= 0) this.areas.of(fence).suppressed++;
      this.emit(rule, event, fence, dwell, 'suppressed', suppression);
      return;
    }
    this.lastDecidedDay.set(key, day);
    const control = isControl(event.msisdn, rule.id, rule.control);
    if (fence >= 0) {
      const counts = this.areas.of(fence);
      if (control) counts.control++;
      else counts.triggered++;
    }
    this.emit(rule, event, fence, dwell, control ? 'control' : 'pending', undefined);
  }

  private emit(
    rule: CompiledRule,
    event: SignallingEvent,
    fence: number,
    dwell: number,
    status: DecisionStatus,
    suppression: SuppressionReason | undefined,
  ): void {
    this.counters.decisions++;
    const area = fence >= 0 ? this.geofences.nameOf(fence) : '';
    const why: string[] = [];
    if (fence >= 0) why.push(`${rule.on} ${area}${dwell > 0 ? ` for ${Math.round(dwell / 60)} min` : ''}`);
    for (const c of rule.all) why.push(`${c.label}`);
    for (const c of rule.none) why.push(`no ${c.label}`);
    if (status === 'control') why.push('held out as control');
    if (suppression === 'cap') why.push(`suppressed: already triggered within ${rule.capDays} day(s)`);
    if (suppression === 'opted_out') why.push('suppressed: subscriber opted out');
    if (suppression === 'quiet_hours') why.push('suppressed: quiet hours');
    const id = decisionId(rule.id, event.msisdn, event.tsMs, status, suppression);
    // An offer sent opens the count towards the rule's reward (a new offer starts it again).
    if (status === 'pending' && rule.reward) {
      this.offers.set(this.state.indexOf(event.msisdn) * RULE_KEY + rule.slot, {
        offerId: id,
        offerSec: Math.floor(event.tsMs / 1000),
        offerTsMs: event.tsMs,
        count: 0,
      });
    }
    this.onDecision({
      decisionId: id,
      ruleId: rule.id,
      ruleVersion: rule.version,
      msisdn: event.msisdn,
      area,
      message: (fence >= 0 ? rule.variants.get(fence) : undefined) ?? rule.definition.message.text,
      serviceId: rule.definition.service,
      eventTsMs: event.tsMs,
      decidedAtMs: this.clock.nowMs(),
      status,
      suppression,
      reason: why.join('; '),
      arrivedAtMs: this.arrivedAtMs,
    });
  }
}
