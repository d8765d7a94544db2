// A round's evaluation from its outcome rows: the two groups, uplift with its interval and test,
// incremental orders and their cost, cancellations within the trial, and the same by county, brand,
// age band (the segment view) and day since contact (the uplift as the window fills).
import type { UpliftRule } from '../../mining/uplift/index.ts';
import type { FunnelCounts, OutcomeRow } from './round-outcomes.ts';
import { upliftOf } from './uplift-stats.ts';

export interface GroupStats {
  contacted: number;
  control: number;
  responders_contacted: number;
  responders_control: number;
  rate_contacted: number | null;
  rate_control: number | null;
  /** Percentage points. */
  uplift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
}

export interface RoundEvaluation extends GroupStats {
  campaign_id: string;
  round: number;
  kind: string;
  service_id: string;
  response_window_days: number;
  started_at: string;
  /** Orders are loaded until then; `complete` once the window has passed for everyone. */
  orders_until: string | null;
  complete: boolean;
  funnel: FunnelCounts & { responded: number };
  incremental_orders: number | null;
  cost_yuan: number;
  cost_per_incremental_order_yuan: number | null;
  cancellations_contacted: number;
  cancellations_control: number;
  by_county: (GroupStats & { county: string })[];
  by_brand: (GroupStats & { brand: string })[];
  by_segment: (GroupStats & { segment: string })[];
  by_day: (GroupStats & { day: number })[];
  /** Uplift rules found on this round (pilots), each with train and held-out uplift. */
  rules: UpliftRule[];
  /** The discovery's check on the held-out part: Qini coefficient, uplift by decile, the whole pilot. */
  discovery?: Record<string, unknown> | null;
}

export interface SummaryInput {
  campaignId: string;
  round: number;
  kind: string;
  serviceId: string;
  windowDays: number;
  startedAt: string;
  ordersUntil: string | null;
  costPerMessageYuan: number;
  funnel: FunnelCounts;
  rows: readonly OutcomeRow[];
  rules: UpliftRule[];
}

export function groupStats(
  rows: readonly OutcomeRow[],
  responded: (r: OutcomeRow) => boolean = isResponder,
): GroupStats {
  let contacted = 0;
  let control = 0;
  let rc = 0;
  let r0 = 0;
  for (const row of rows) {
    const yes = responded(row);
    if (row.grp === 'contacted') {
      contacted++;
      if (yes) rc++;
    } else {
      control++;
      if (yes) r0++;
    }
  }
  const u = upliftOf({ subscribers: contacted, responders: rc }, { subscribers: control, responders: r0 });
  return {
    contacted,
    control,
    responders_contacted: rc,
    responders_control: r0,
    rate_contacted: u.rateContacted,
    rate_control: u.rateControl,
    uplift: u.uplift,
    ci_low: u.ciLow,
    ci_high: u.ciHigh,
    p_value: u.pValue,
  };
}

export function summarizeRound(input: SummaryInput): RoundEvaluation {
  const all = groupStats(input.rows);
  const incremental = all.uplift === null ? null : (all.uplift / 100) * all.contacted;
  const cost = input.costPerMessageYuan * input.funnel.sent;
  const windowEnd = addDays(input.startedAt, input.windowDays);
  return {
    campaign_id: input.campaignId,
    round: input.round,
    kind: input.kind,
    service_id: input.serviceId,
    response_window_days: input.windowDays,
    started_at: input.startedAt,
    orders_until: input.ordersUntil,
    complete: input.ordersUntil !== null && input.ordersUntil >= windowEnd,
    ...all,
    funnel: { ...input.funnel, responded: all.responders_contacted },
    incremental_orders: incremental === null ? null : round2(incremental),
    cost_yuan: round2(cost),
    cost_per_incremental_order_yuan: incremental !== null && incremental > 0 ? round2(cost / incremental) : null,
    cancellations_contacted: input.rows.filter((r) => r.grp === 'contacted' && r.cancelled).length,
    cancellations_control: input.rows.filter((r) => r.grp === 'control' && r.cancelled).length,
    by_county: breakdown(input.rows, (r) => r.county).map(([county, s]) => ({ county, ...s })),
    by_brand: breakdown(input.rows, (r) => r.brand).map(([brand, s]) => ({ brand, ...s })),
    by_segment: breakdown(input.rows, (r) => ageBand(r.age)).map(([segment, s]) => ({ segment, ...s })),
    by_day: Array.from({ length: input.windowDays }, (_, i) => ({
      day: i + 1,
      ...groupStats(input.rows, (r) => r.responded_after_days !== null && r.responded_after_days < i + 1),
    })),
    rules: input.rules,
  };
}

export function ageBand(age: number): string {
  if (age < 0) return 'unknown';
  if (age < 25) return 'age<25';
  if (age < 40) return 'age 25-39';
  if (age < 60) return 'age 40-59';
  return 'age 60+';
}

function isResponder(row: OutcomeRow): boolean {
  return row.responded_after_days !== null;
}

function breakdown(rows: readonly OutcomeRow[], key: (r: OutcomeRow) => string): [string, GroupStats][] {
  const groups = new Map<string, OutcomeRow[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, list]) => [k, groupStats(list)]);
}

function addDays(time: string, days: number): string {
  const ms = Date.parse(`${time.replace(' ', 'T')}Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
