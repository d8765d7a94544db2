// Stored anomalies: detection over a day range replaces that range's rows in one transaction.
import type { Clock } from '../../shared/clock.ts';
import { sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import { type Anomaly, type AnomalyKind, appendedKinds, type Severity, type StoredAnomaly } from './anomaly.ts';

const insertAnomaly = `INSERT INTO anomalies (series, kpi, dimensions, day, kind, observed, expected, band_low,
   band_high, score, p_value, severity, explanation_zh, explanation_en, detected_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))`;

/** The values of insertAnomaly, in its column order. */
function anomalyRow(a: Anomaly, at: string): (string | number | null)[] {
  return [
    a.series,
    a.kpi,
    JSON.stringify(a.dimensions),
    a.day,
    a.kind,
    a.observed,
    a.expected,
    a.bandLow,
    a.bandHigh,
    a.score,
    a.pValue,
    a.severity,
    a.explanation.zh,
    a.explanation.en,
    at,
  ];
}

export async function saveAnomalies(
  warehouse: Warehouse,
  range: { from: string; to: string },
  anomalies: readonly Anomaly[],
  clock: Clock,
): Promise<void> {
  const at = sqlTimestamp(clock.now());
  await warehouse.transaction(async () => {
    await warehouse.run(
      `DELETE FROM anomalies WHERE day BETWEEN ? AND ? AND kind NOT IN (SELECT unnest(string_split(?, ',')))`,
      [range.from, range.to, appendedKinds.join(',')],
    );
    for (const a of anomalies) {
      await warehouse.run(insertAnomaly, anomalyRow(a, at));
    }
  });
}

/**
 * Anomalies found as they happen (the live stream's counts): added, never replacing a range, on a
 * connection of their own (the server's requests share the Warehouse). One per series, day and kind:
 * a repeated call adds nothing, a stronger break the same day replaces a weaker one.
 */
export async function appendAnomalies(
  warehouse: Warehouse,
  anomalies: readonly Anomaly[],
  clock: Clock,
): Promise<void> {
  if (anomalies.length === 0) return;
  const at = sqlTimestamp(clock.now());
  await warehouse.write(async (tx) => {
    for (const a of anomalies)
      await tx.run(
        // One row per series, day and kind (the table's key): a live counter can break its rhythm
        // several times a day, and a second break must not fail the stream's write. The row keeps the
        // day's strongest break; routing and acknowledgement follow the row, not each interval.
        `${insertAnomaly}
         ON CONFLICT (series, day, kind) DO UPDATE SET
           observed = excluded.observed, expected = excluded.expected, band_low = excluded.band_low,
           band_high = excluded.band_high, score = excluded.score, p_value = excluded.p_value,
           severity = excluded.severity, explanation_zh = excluded.explanation_zh,
           explanation_en = excluded.explanation_en, detected_at = excluded.detected_at
         WHERE abs(excluded.score) > abs(anomalies.score)`,
        anomalyRow(a, at),
      );
  });
}

export interface AnomalyFilter {
  from?: string;
  to?: string;
  severity?: Severity;
  ids?: readonly number[];
  limit?: number;
}

type AnomalyRow = {
  id: number;
  series: string;
  kpi: string;
  dimensions: string;
  day: string;
  kind: string;
  observed: number;
  expected: number;
  band_low: number;
  band_high: number;
  score: number;
  p_value: number | null;
  severity: string;
  explanation_zh: string;
  explanation_en: string;
  detected_at: string;
};

/** The answer of GET /api/anomalies. */
export interface AnomalyList {
  anomalies: StoredAnomaly[];
}

export async function listAnomalies(warehouse: Warehouse, filter: AnomalyFilter = {}): Promise<StoredAnomaly[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.from) {
    where.push('day >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    where.push('day <= ?');
    params.push(filter.to);
  }
  if (filter.severity) {
    where.push('severity = ?');
    params.push(filter.severity);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    where.push(`id IN (${filter.ids.map(() => '?').join(', ')})`);
    params.push(...filter.ids);
  }
  const rows = await warehouse.all<AnomalyRow>(
    `SELECT id, series, kpi, dimensions, CAST(day AS VARCHAR) AS day, kind, observed, expected, band_low, band_high,
            score, p_value, severity, explanation_zh, explanation_en, CAST(detected_at AS VARCHAR) AS detected_at
     FROM anomalies ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY day DESC, severity = 'critical' DESC, severity = 'warning' DESC, series LIMIT ${Math.max(1, Math.min(filter.limit ?? 1000, 10000))}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    series: r.series,
    kpi: r.kpi,
    dimensions: JSON.parse(r.dimensions) as Record<string, string>,
    day: r.day,
    kind: r.kind as AnomalyKind,
    observed: r.observed,
    expected: r.expected,
    bandLow: r.band_low,
    bandHigh: r.band_high,
    score: r.score,
    pValue: r.p_value,
    severity: r.severity as Severity,
    explanation: { zh: r.explanation_zh, en: r.explanation_en },
    detectedAt: r.detected_at,
  }));
}
