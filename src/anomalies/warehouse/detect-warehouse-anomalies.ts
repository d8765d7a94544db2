// The warehouse detectors, run after every load for the days it touched (and on demand): every
// slice family of kpi-slices.ts, judged day by day against its weekly baseline, with CUSUM for level
// shifts and day-over-day limits for sizes; the deviation tests of all slices and days together pass
// through Benjamini–Hochberg, so the share of false alarms stays near q however many slices there
// are. Business rules come on top. Reads only derived aggregates (plus the judged days' orders for
// the quick-cancel rule) and replaces the stored anomalies of the judged days.
import { type AttributeDimension, labelOf, loadDimensionCatalogue } from '../../metrics/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { detectorSqlForClickHouse } from './detector-sql-clickhouse.ts';
import { type Anomaly, type Severity, seriesKey } from './anomaly.ts';
import { saveAnomalies } from './anomaly-store.ts';
import { benjaminiHochberg } from './benjamini-hochberg.ts';
import { type BusinessRuleOptions, checkBusinessRules, defaultBusinessRuleOptions } from './business-rules.ts';
import { detectGroupChanges } from './group-change.ts';
import { cusumAlarms } from './cusum.ts';
import { type DayJudgement, judgeDay } from './daily-baseline.ts';
import { describeAnomaly, type LabelOf } from './describe-anomaly.ts';
import { type SliceFamily, sliceFamilies } from './kpi-slices.ts';

export interface WarehouseDetectionOptions {
  /** First and last day judged (default: the last loaded day only). */
  from?: string;
  to?: string;
  clock: Clock;
  /** False discovery rate across all deviation tests of the run. */
  q?: number;
  rules?: BusinessRuleOptions;
  /** Store the findings (default true). */
  save?: boolean;
  /**
   * The facts on a ClickHouse cluster: the aggregates are read there, the findings stored in
   * `warehouse` (the DuckDB file keeps the operational state, docs/scale-out.md).
   */
  facts?: ClickHouseWarehouse;
}

export interface WarehouseDetection {
  from: string;
  to: string;
  slices: number;
  tests: number;
  anomalies: Anomaly[];
  ms: number;
}

export const defaultFalseDiscoveryRate = 0.01;
/** Days of history read before `from`: four weeks of baseline plus the two weeks a baseline needs. */
const lookbackDays = 42;

export async function detectWarehouseAnomalies(
  store: Warehouse,
  options: WarehouseDetectionOptions,
): Promise<WarehouseDetection> {
  const started = options.clock.nowMs();
  const warehouse = options.facts ?? store;
  const sql = (text: string) => (warehouse.engine === 'clickhouse' ? detectorSqlForClickHouse(text) : text);
  const bounds = await warehouse.one<{ first: string | null; last: string | null }>(
    sql('SELECT CAST(min(day) AS VARCHAR) AS first, CAST(max(day) AS VARCHAR) AS last FROM agg_area_day'),
  );
  if (!bounds?.last)
    throw new AppError('WAREHOUSE_EMPTY', 'no loaded days to judge', { hint: 'run telmark load first' });
  const to = options.to ?? bounds.last;
  const from = options.from ?? to;
  if (from > to) throw new AppError('USAGE', `--from ${from} is after --to ${to}`);
  const start = addDays(from, -lookbackDays);
  const days = dayRange(start, to);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const loaded = new Set(
    (
      await warehouse.all<{ day: string }>(
        sql('SELECT DISTINCT CAST(day AS VARCHAR) AS day FROM agg_area_day WHERE day BETWEEN ? AND ?'),
        [start, to],
      )
    ).map((r) => r.day),
  );
  const judged = days.map((d, i) => (d >= from && loaded.has(d) ? i : -1)).filter((i) => i >= 0);
  const labels = await labeller(warehouse);

  const tests: { family: SliceFamily; dims: Record<string, string>; day: number; value: number; j: DayJudgement }[] =
    [];
  const found: Anomaly[] = [];
  let slices = 0;
  for (const family of sliceFamilies) {
    const rows = await warehouse.all<Record<string, string | number>>(sql(family.sql), [start, to]);
    const series = new Map<string, { dims: Record<string, string>; values: Float64Array }>();
    for (const row of rows) {
      const dims = Object.fromEntries(family.dimensions.map((d) => [d, String(row[d])]));
      const key = seriesKey(family.kpi, dims);
      let entry = series.get(key);
      if (!entry) {
        const values = new Float64Array(days.length).fill(Number.NaN);
        for (let i = 0; i < days.length; i++) if (loaded.has(days[i] as string)) values[i] = 0;
        entry = { dims, values };
        series.set(key, entry);
      }
      const i = dayIndex.get(String(row.day));
      if (i !== undefined) entry.values[i] = Number(row.value);
    }
    slices += series.size;
    for (const { dims, values } of series.values()) {
      const judgements = days.map((_, t) => judgeDay(values, t, { count: true }));
      for (const t of judged) {
        const j = judgements[t];
        if (j) tests.push({ family, dims, day: t, value: values[t] as number, j });
        const rate = rateOfChange(family, values, t);
        if (rate) found.push(anomalyOf(family, dims, days[t] as string, 'rate_of_change', rate, labels));
      }
      const z = judgements.map((j) => j?.z ?? Number.NaN);
      for (const alarm of cusumAlarms(z)) {
        const j = judgements[alarm.index];
        if (!j || !judged.includes(alarm.index) || !hasVolume(j)) continue;
        const value = values[alarm.index] as number;
        found.push(
          anomalyOf(
            family,
            dims,
            days[alarm.index] as string,
            'level_shift',
            { value, j, severity: 'warning' },
            labels,
          ),
        );
      }
    }
  }
  const rejected = benjaminiHochberg(
    tests.map((t) => t.j.pValue),
    options.q ?? defaultFalseDiscoveryRate,
  );
  for (const index of rejected) {
    const test = tests[index]!;
    if (!bigEnough(test.family, test.value, test.j)) continue;
    const severity: Severity = Math.abs(test.j.z) >= 10 ? 'critical' : Math.abs(test.j.z) >= 6 ? 'warning' : 'info';
    found.push(
      anomalyOf(
        test.family,
        test.dims,
        days[test.day] as string,
        'deviation',
        { value: test.value, j: test.j, severity },
        labels,
      ),
    );
  }
  // A level shift on the day a deviation is already reported says nothing new.
  const deviations = new Set(found.filter((a) => a.kind === 'deviation').map((a) => `${a.series}@${a.day}`));
  const anomalies = found.filter((a) => a.kind !== 'level_shift' || !deviations.has(`${a.series}@${a.day}`));
  anomalies.push(
    ...(await checkBusinessRules(warehouse, { from, to }, labels, options.rules ?? defaultBusinessRuleOptions)),
    ...(await detectGroupChanges(warehouse, { from, to, dayBefore: addDays(from, -1) }, labels)),
  );
  anomalies.sort((a, b) => a.day.localeCompare(b.day) || a.series.localeCompare(b.series));
  if (options.save !== false) await saveAnomalies(store, { from, to }, anomalies, options.clock);
  return { from, to, slices, tests: tests.length, anomalies, ms: options.clock.nowMs() - started };
}

/** CUSUM assumes roughly normal residuals: only where a day holds a few counts at least. */
function hasVolume(j: DayJudgement): boolean {
  return j.expected >= 5;
}

function bigEnough(family: SliceFamily, value: number, j: DayJudgement): boolean {
  const change = Math.abs(value - j.expected);
  return change >= family.minimumChange && change >= (family.minimumRelativeChange ?? 0) * Math.abs(j.expected);
}

function rateOfChange(
  family: SliceFamily,
  values: Float64Array,
  t: number,
): { value: number; j: DayJudgement; severity: Severity } | undefined {
  if (family.maxDailyChange === undefined || t === 0) return undefined;
  const value = values[t] as number;
  const previous = values[t - 1] as number;
  if (!Number.isFinite(value) || !Number.isFinite(previous) || previous < 50) return undefined;
  const change = value / previous - 1;
  if (Math.abs(change) <= family.maxDailyChange) return undefined;
  const spread = family.maxDailyChange * previous;
  return {
    value,
    j: { expected: previous, spread, z: (value - previous) / spread, pValue: Number.NaN },
    severity: Math.abs(change) >= 3 * family.maxDailyChange ? 'critical' : 'warning',
  };
}

function anomalyOf(
  family: SliceFamily,
  dims: Record<string, string>,
  day: string,
  kind: 'deviation' | 'level_shift' | 'rate_of_change',
  found: { value: number; j: DayJudgement; severity: Severity },
  labels: LabelOf,
): Anomaly {
  const { value, j } = found;
  const band = kind === 'rate_of_change' ? 1 : 3;
  return {
    series: seriesKey(family.kpi, dims),
    kpi: family.kpi,
    dimensions: dims,
    day,
    kind,
    observed: value,
    expected: j.expected,
    bandLow: j.expected - band * j.spread,
    bandHigh: j.expected + band * j.spread,
    score: j.z,
    pValue: Number.isFinite(j.pValue) && kind === 'deviation' ? j.pValue : null,
    severity: found.severity,
    explanation: describeAnomaly(
      { kpi: family.label, dimensions: dims, kind, observed: value, expected: j.expected, spread: band * j.spread },
      labels,
    ),
  };
}

async function labeller(warehouse: Warehouse | ClickHouseWarehouse): Promise<LabelOf> {
  const catalogue = await loadDimensionCatalogue(warehouse);
  return (dimension, value) => {
    const label = labelOf(catalogue, dimension as AttributeDimension, value);
    if (dimension === 'service' && label) return { zh: label.zh, en: label.zh };
    return label ?? { zh: value, en: value };
  };
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
