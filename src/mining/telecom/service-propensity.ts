// Propensity to order each service: for every service, gradient-boosted trees on the subscribers who
// did not hold it at the start of the window, labelled by whether they took it up during the window.
// Features: the subscriber features (without the churn label) and a flag per service held.
import { clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';
import type { Row } from '../../warehouse/index.ts';
import { type BinaryClassifier, modelCatalogue, propensitiesInWorker, trainOnTable } from '../models/index.ts';
import { encodeFeatures } from '../table/index.ts';
import type { MiningWarehouse } from './mining-warehouse.ts';
import { readFeatureWindowOnClickHouse } from './subscriber-features-clickhouse.ts';
import { rowsToRawTable } from './warehouse-rows.ts';

export interface ServiceUptake {
  /** Services held at the start of the window, by subscriber. */
  heldAtStart: Map<string, Set<string>>;
  /** Services taken up during the window, by subscriber. */
  orderedInWindow: Map<string, Set<string>>;
  /** Services held at the end of the window, by subscriber. */
  heldAtEnd: Map<string, Set<string>>;
  /** Services cancelled in the last 60 days of the window, by subscriber. */
  recentlyCancelled: Map<string, Set<string>>;
  services: string[];
}

const uptakeSql = `
WITH bounds AS (SELECT min(day) AS start_day, max(day) AS end_day FROM agg_subscriber_day)
SELECT t.msisdn, t.service_id,
  bool_or(t.started_on <= b.start_day AND (t.ended_on IS NULL OR t.ended_on > b.start_day)) AS held_at_start,
  bool_or(t.started_on > b.start_day AND NOT t.from_opening) AS ordered_in_window,
  bool_or(t.ended_on IS NULL) AS held_at_end,
  bool_or(t.ended_on IS NOT NULL AND t.ended_on > b.end_day - INTERVAL 60 DAY) AS recently_cancelled
FROM subscriptions t CROSS JOIN bounds b
GROUP BY t.msisdn, t.service_id`;

/**
 * The same on ClickHouse, through the Distributed \`subscriptions\` (one row per subscriber and service
 * comes back): the window asked first; an open spell's end read as 2105-12-31, since a comparison with
 * NULL is NULL there.
 */
async function uptakeSqlOnClickHouse(cluster: MiningWarehouse & { engine: 'clickhouse' }): Promise<string> {
  const window = await readFeatureWindowOnClickHouse(cluster);
  const s = `toDate(${clickhouseLiteral(window.startDay)})`;
  const e = `toDate(${clickhouseLiteral(window.endDay)})`;
  return `SELECT msisdn, service_id,
      max(started_on <= ${s} AND ifNull(ended_on, toDate('2105-12-31')) > ${s}) AS held_at_start,
      max(started_on > ${s} AND from_opening = 0) AS ordered_in_window,
      max(isNull(ended_on)) AS held_at_end,
      max(isNotNull(ended_on) AND ifNull(ended_on, toDate('1970-01-02')) > ${e} - 60) AS recently_cancelled
    FROM subscriptions GROUP BY msisdn, service_id`;
}

export async function readServiceUptake(warehouse: MiningWarehouse): Promise<ServiceUptake> {
  const rows = await warehouse.all(
    warehouse.engine === 'clickhouse' ? await uptakeSqlOnClickHouse(warehouse) : uptakeSql,
  );
  const services = (
    await warehouse.all<{ service_id: string }>('SELECT service_id FROM services ORDER BY service_id')
  ).map((r) => r.service_id);
  const uptake: ServiceUptake = {
    heldAtStart: new Map(),
    orderedInWindow: new Map(),
    heldAtEnd: new Map(),
    recentlyCancelled: new Map(),
    services,
  };
  const add = (map: Map<string, Set<string>>, msisdn: string, service: string) => {
    const set = map.get(msisdn) ?? new Set<string>();
    set.add(service);
    map.set(msisdn, set);
  };
  for (const row of rows) {
    const msisdn = String(row.msisdn);
    const service = String(row.service_id);
    if (row.held_at_start) add(uptake.heldAtStart, msisdn, service);
    if (row.ordered_in_window) add(uptake.orderedInWindow, msisdn, service);
    if (row.held_at_end) add(uptake.heldAtEnd, msisdn, service);
    if (row.recently_cancelled) add(uptake.recentlyCancelled, msisdn, service);
  }
  return uptake;
}

export interface ServicePropensity {
  service: string;
  auc: number;
  takers: number;
  classifier: BinaryClassifier;
  /** Score of every subscriber of the feature rows (index-aligned), for ordering this service. */
  scores: Float64Array;
}

/** Subscriber features plus held_<service> flags; the churn label is left out. */
export function propensityRows(subscribers: readonly Row[], uptake: ServiceUptake, heldBy: 'start' | 'end'): Row[] {
  const held = heldBy === 'start' ? uptake.heldAtStart : uptake.heldAtEnd;
  return subscribers.map((row) => {
    const { churned: _churned, ...rest } = row;
    const holdings = held.get(String(row.msisdn));
    const flags = Object.fromEntries(uptake.services.map((s) => [`held_${s}`, holdings?.has(s) ? 1 : 0]));
    return { ...rest, ...flags };
  });
}

export interface PropensityOptions {
  seed?: number;
  trees?: number;
  /** Train each service's model on the mining worker (in the server, so that requests keep being answered). */
  inWorker?: boolean;
  /** Aborting terminates the training on the worker. */
  signal?: AbortSignal;
}

export async function fitServicePropensities(
  subscribers: readonly Row[],
  uptake: ServiceUptake,
  options: PropensityOptions = {},
): Promise<ServicePropensity[]> {
  if (options.inWorker) {
    // Training and scoring both on the worker; the classifiers are rebuilt here from their JSON.
    const transfers = await propensitiesInWorker(
      subscribers,
      uptake,
      { seed: options.seed, trees: options.trees },
      options.signal,
    );
    return transfers.map((t) => ({
      service: t.service,
      auc: t.auc,
      takers: t.takers,
      classifier: modelCatalogue[t.kind].load(t.model),
      scores: t.scores,
    }));
  }
  const training = propensityRows(subscribers, uptake, 'start');
  const scoring = rowsToRawTable(propensityRows(subscribers, uptake, 'end'), 'warehouse subscribers');
  const results: ServicePropensity[] = [];
  for (const service of uptake.services) {
    const rows = training
      .filter((row) => !uptake.heldAtStart.get(String(row.msisdn))?.has(service))
      .map((row) => ({ ...row, ordered: uptake.orderedInWindow.get(String(row.msisdn))?.has(service) ? 1 : 0 }));
    const takers = rows.filter((r) => r.ordered === 1).length;
    if (takers < 10 || rows.length - takers < 10) continue;
    const source = `propensity ${service}`;
    const trainOptions = {
      target: 'ordered',
      positive: '1',
      model: 'gbdt' as const,
      seed: options.seed ?? 1,
      testFraction: 0.3,
      threshold: 0.5,
      params: { trees: options.trees ?? 150, maxDepth: 3 },
    };
    const outcome = trainOnTable(rowsToRawTable(rows, source), trainOptions);
    results.push({
      service,
      auc: outcome.report.auc,
      takers,
      classifier: outcome.classifier,
      scores: outcome.classifier.predictProbabilities(encodeFeatures(scoring, outcome.schema.features)),
    });
  }
  return results;
}
