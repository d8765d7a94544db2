// Turns a validated rule into the form the engine evaluates per event: geofence ids, a brand bit mask,
// segment codes, score columns and signal ids with their windows.
import { brands } from '../../feeds/contract.ts';
import { AppError } from '../../shared/errors.ts';
import { compileQuietHours, type QuietWindow } from '../engine/quiet-hours.ts';
import type { Geofences } from '../geofences/geofences.ts';
import type { SubscriberState } from '../state/subscriber-state.ts';
import type { RuleDefinition, RuleFileDefaults } from './rule-schema.ts';
import type { SignalCatalogue } from './signal-catalogue.ts';

export interface CompiledCondition {
  /** Hits of any of these signals count together. */
  signals: number[];
  withinSec: number;
  atLeast: number;
  label: string;
}

export interface CompiledRule {
  slot: number;
  id: string;
  version: number;
  definition: RuleDefinition;
  fences: number[];
  on: 'enter' | 'inside' | 'leave' | 'anywhere';
  dwellSec: number;
  /** Bit per brand code; 0 = any brand (unknown subscribers included). */
  brandMask: number;
  segments: Set<number> | undefined;
  /** Looked up by model name at evaluation: a score column is replaced when the state grows. */
  scores: { model: string; min: number; max: number }[];
  all: CompiledCondition[];
  none: CompiledCondition[];
  quiet: QuietWindow | undefined;
  control: number;
  capDays: number;
  variants: Map<number, string>;
  /** The reward: the signal counted after an offer, its target and window, and what is granted. */
  reward: CompiledReward | undefined;
}

export interface CompiledReward {
  signal: number;
  count: number;
  withinSec: number;
  kind: 'credit' | 'gift';
  amount: number;
  description: string;
  label: string;
}

export interface CompileContext {
  slot: number;
  version: number;
  defaults: RuleFileDefaults;
  geofences: Geofences;
  signals: SignalCatalogue;
  state: SubscriberState;
  segmentCode(name: string): number;
}

export function compileRule(rule: RuleDefinition, context: CompileContext): CompiledRule {
  const fences = (rule.where?.geofences ?? []).map((name) => {
    const id = context.geofences.idOf(name);
    if (id === undefined)
      throw new AppError('RULE_INVALID', `unknown geofence "${name}"`, {
        location: { path: `rule ${rule.id}: where.geofences` },
      });
    return id;
  });
  const condition = (c: RuleDefinition['behaviour']['all'][number]): CompiledCondition => ({
    signals: c.event.map((kind) => context.signals.idOf(kind, c.peer)),
    withinSec: c.within,
    atLeast: c.at_least,
    label: `${c.event.join('/')}${c.peer ? ` ${c.peer}` : ''} in ${formatSeconds(c.within)}`,
  });
  const variants = new Map<number, string>();
  for (const [name, text] of Object.entries(rule.message.variants)) {
    const id = context.geofences.idOf(name);
    if (id !== undefined) variants.set(id, text);
  }
  return {
    slot: context.slot,
    id: rule.id,
    version: context.version,
    definition: rule,
    fences,
    on: rule.where ? rule.where.on : 'anywhere',
    dwellSec: rule.where?.dwell ?? 0,
    brandMask: (rule.who.brands ?? []).reduce((mask, b) => mask | (1 << brands.indexOf(b)), 0),
    segments: rule.who.segments ? new Set(rule.who.segments.map((s) => context.segmentCode(s))) : undefined,
    scores: (rule.who.scores ?? []).map((s) => ({
      model: s.model,
      min: s.min ?? Number.NEGATIVE_INFINITY,
      max: s.max ?? Number.POSITIVE_INFINITY,
    })),
    all: rule.behaviour.all.map(condition),
    none: rule.behaviour.none.map(condition),
    quiet: compileQuietHours(rule.quiet_hours ?? context.defaults.quiet_hours),
    control: rule.control ?? context.defaults.control,
    capDays: rule.cap_days ?? context.defaults.cap_days,
    variants,
    reward: rule.reward && {
      signal: context.signals.idOf(rule.reward.event, rule.reward.peer),
      count: rule.reward.count,
      withinSec: rule.reward.within,
      kind: rule.reward.kind,
      amount: rule.reward.amount,
      label: `${rule.reward.event}${rule.reward.peer ? ` ${rule.reward.peer}` : ''}`,
      description:
        rule.reward.description ??
        `${rule.reward.count} × ${rule.reward.event}${rule.reward.peer ? ` ${rule.reward.peer}` : ''} → ${
          rule.reward.kind === 'credit' ? `¥${rule.reward.amount.toFixed(2)}` : 'gift'
        }`,
    },
  };
}

export function formatSeconds(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400}d`;
  if (sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec % 60 === 0) return `${sec / 60}m`;
  return `${sec}s`;
}
