// What a detector found: one series (a KPI over one slice of the dimensions) on one day.

export type AnomalyKind =
  | 'deviation'
  | 'level_shift'
  | 'rate_of_change'
  | 'unconfirmed_orders'
  | 'quick_cancel'
  /** A live count of the running stream (per area) dropped or jumped; stored as it happens. */
  | 'live_change'
  /** A customer group (segment, later saved audience) changed its make-up overnight. */
  | 'group_change';

/** Kinds stored as they happen rather than by a detection over a day range (which must not delete them). */
export const appendedKinds: readonly AnomalyKind[] = ['live_change'];
export type Severity = 'info' | 'warning' | 'critical';

export const severities: readonly Severity[] = ['info', 'warning', 'critical'];

export interface Anomaly {
  /** `kpi|dim=value|dim=value`: stable across runs, the key of grouping and silences. */
  series: string;
  kpi: string;
  dimensions: Record<string, string>;
  day: string;
  kind: AnomalyKind;
  observed: number;
  expected: number;
  bandLow: number;
  bandHigh: number;
  /** Robust z-score (deviation, level shift) or the rule's ratio to its limit. */
  score: number;
  pValue: number | null;
  severity: Severity;
  explanation: { zh: string; en: string };
}

export interface StoredAnomaly extends Anomaly {
  id: number;
  detectedAt: string;
}

export function seriesKey(kpi: string, dimensions: Record<string, string>): string {
  return [kpi, ...Object.entries(dimensions).map(([k, v]) => `${k}=${v}`)].join('|');
}
