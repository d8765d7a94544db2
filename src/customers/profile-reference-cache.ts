// What every profile reads besides its own rows: the service catalogue, the latest model of each
// purpose, that cross-sell model's rules, and the alerts of the last two weeks of data with their
// status. The same for every customer and changed only by a load, a training or an alert's routing, it
// cost five of a profile's thirteen queries (issue 15); the API keeps it for a couple of seconds.
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { ServiceCatalogue } from './customer-labels.ts';

export type StoredRule = {
  lhs: string;
  rhs: string;
  confidence: number;
  lift: number;
};

export interface RecentAlert {
  id: number;
  dimensions: Record<string, string>;
  day: string;
  severity: string;
  explanationZh: string;
  explanationEn: string;
  /** The status of the alert group that holds it ('none' when none does). */
  status: string;
}

export interface ProfileReferences {
  catalogue: ServiceCatalogue;
  churnVersion: string | undefined;
  crossSellVersion: string | undefined;
  /** The latest cross-sell model's rules, strongest first. */
  crossSellRules: StoredRule[];
  /** Alerts (not info) of the 14 days up to the facts' day, newest first. */
  recentAlerts: RecentAlert[];
}

/**
 * `facts`: a ClickHouse cluster holding the facts (catalogue, models, rules); the alerts stay in the
 * file, `reader`. Without it, everything is read from the file.
 */
export async function readProfileReferences(
  reader: Warehouse,
  asOf: string,
  facts?: ClickHouseWarehouse,
): Promise<ProfileReferences> {
  const source = facts ?? reader;
  const services = await source.all<{ service_id: string; name: string; category: string; monthly_fee: number }>(
    'SELECT service_id, name, category, monthly_fee FROM services',
  );
  const catalogue: ServiceCatalogue = new Map(
    services.map((s) => [s.service_id, { name: s.name, category: s.category, feeYuan: Number(s.monthly_fee) }]),
  );
  const argMax = source.engine === 'clickhouse' ? 'argMax' : 'arg_max';
  const models = await source.all<{ purpose: string; model_version: string }>(
    `SELECT purpose, ${argMax}(model_version, trained_at) AS model_version FROM mining_models
     WHERE purpose IN ('churn', 'cross-sell') GROUP BY purpose`,
  );
  const latest = (purpose: string) => models.find((m) => m.purpose === purpose)?.model_version;
  const crossSellVersion = latest('cross-sell');
  // The model's rules are few (tens to hundreds): filtered and ranked in the offers, from one plain read.
  // Ties in confidence are ordered by the rule, so the same rule explains an offer on either engine.
  const crossSellRules = crossSellVersion
    ? (
        await source.all<StoredRule>('SELECT lhs, rhs, confidence, lift FROM mining_rules WHERE model_version = ?', [
          crossSellVersion,
        ])
      ).sort(
        (a, b) =>
          b.confidence - a.confidence ||
          (a.lhs < b.lhs ? -1 : a.lhs > b.lhs ? 1 : a.rhs < b.rhs ? -1 : a.rhs > b.rhs ? 1 : 0),
      )
    : [];
  const anomalies = await reader.all<{
    id: number;
    dimensions: string;
    day: string;
    severity: string;
    explanation_zh: string;
    explanation_en: string;
  }>(
    `SELECT id, dimensions, CAST(day AS VARCHAR) AS day, severity, explanation_zh, explanation_en FROM anomalies
     WHERE severity <> 'info' AND day BETWEEN CAST(? AS DATE) - 13 AND CAST(? AS DATE) ORDER BY day DESC, id`,
    [asOf, asOf],
  );
  const statusOfAnomaly = new Map<number, string>();
  if (anomalies.length > 0) {
    const groups = await reader.all<{ status: string; anomaly_ids: string }>(
      'SELECT status, anomaly_ids FROM alert_groups',
    );
    for (const g of groups) for (const id of JSON.parse(g.anomaly_ids) as number[]) statusOfAnomaly.set(id, g.status);
  }
  return {
    catalogue,
    churnVersion: latest('churn'),
    crossSellVersion,
    crossSellRules,
    recentAlerts: anomalies.map((a) => ({
      id: Number(a.id),
      dimensions: JSON.parse(a.dimensions) as Record<string, string>,
      day: a.day,
      severity: a.severity,
      explanationZh: a.explanation_zh,
      explanationEn: a.explanation_en,
      status: statusOfAnomaly.get(Number(a.id)) ?? 'none',
    })),
  };
}

export interface ReferenceCacheOptions {
  /** How long a read is kept: what an agent may see late (a new model, an acknowledged alert). */
  lifetimeMs: number;
  /**
   * Elapsed time, not the business Clock: a fixed test clock must not keep a read forever, and the
   * lifetime is about staleness in real seconds.
   */
  nowMs?: () => number;
}

/** The references, read once per lifetime and per facts day; concurrent misses share one read. */
export class ProfileReferenceCache {
  private entry: { asOf: string; readAt: number; value: Promise<ProfileReferences> } | undefined;
  private readonly nowMs: () => number;

  constructor(private readonly options: ReferenceCacheOptions) {
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  get(reader: Warehouse, asOf: string, facts?: ClickHouseWarehouse): Promise<ProfileReferences> {
    const now = this.nowMs();
    const entry = this.entry;
    if (entry && entry.asOf === asOf && now - entry.readAt < this.options.lifetimeMs) return entry.value;
    const value = readProfileReferences(reader, asOf, facts);
    const fresh = { asOf, readAt: now, value };
    this.entry = fresh;
    // A failed read is not kept: the next profile tries again.
    value.catch(() => {
      if (this.entry === fresh) this.entry = undefined;
    });
    return value;
  }
}
