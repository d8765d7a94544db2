// The mining results a stream's rules use (`who.scores`, `who.segments`), read from the ClickHouse
// cluster's tables of the same names as DuckDB's (mining_churn_scores, mining_propensity_scores,
// mining_segment_members: per shard, sharded by msisdn). Only the models the rules name are read, and
// only the worker's own subscribers, a page at a time per shard. A rule whose score the cluster lacks
// (no table, or no row of that model) stops the start with WAREHOUSE_UNSUPPORTED: on DuckDB such a rule
// quietly never fires, but a worker beside a cluster that silently lacks a score would be a worker
// acting on another audience than the one the rule's author saw.
import { AppError } from '../../shared/errors.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import { clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import { hasFactsTable } from '../facts/facts-source.ts';
import { clickhouseWorkerFilter } from '../partitions/clickhouse-partition-sql.ts';
import { partitionOf, type WorkerSlot } from '../partitions/partition-of.ts';
import { CHURN_MODEL } from './load-profiles.ts';

/** What the running rules read of the model results. */
export interface ModelResultsNeeded {
  /** Score models by name (`churn`, `propensity:<service_id>`, or a column of a profile CSV), with the rules naming them. */
  scores: Map<string, string[]>;
  /** Rules with `who.segments`. */
  segmentRules: string[];
}

export function modelResultsNeeded(engine: TriggerEngine): ModelResultsNeeded {
  const scores = new Map<string, string[]>();
  const segmentRules: string[] = [];
  for (const entry of engine.rules.list()) {
    for (const s of entry.definition.who.scores ?? []) scores.set(s.model, [...(scores.get(s.model) ?? []), entry.id]);
    if (entry.definition.who.segments) segmentRules.push(entry.id);
  }
  return { scores, segmentRules };
}

export interface ClusterModelResultsOptions {
  share?: { partitions: number; worker: WorkerSlot };
  /** Score models a profile CSV provides (its `score_<model>` columns): not asked of the cluster. */
  fromProfiles?: ReadonlySet<string>;
  pageRows?: number;
}

export async function loadClusterModelResults(
  cluster: ClickHouseWarehouse,
  file: Warehouse,
  engine: TriggerEngine,
  options: ClusterModelResultsOptions = {},
): Promise<{ churn: number; propensity: number; segments: number }> {
  const needed = modelResultsNeeded(engine);
  const counts = { churn: 0, propensity: 0, segments: 0 };
  const reads: { table: string; model?: string; where: string; rules: string[] }[] = [];
  for (const [model, rules] of needed.scores) {
    if (options.fromProfiles?.has(model)) continue;
    if (model === CHURN_MODEL) reads.push({ table: 'mining_churn_scores', model, where: '1', rules });
    else if (model.startsWith('propensity:')) {
      const service = model.slice('propensity:'.length);
      reads.push({
        table: 'mining_propensity_scores',
        model,
        where: `service_id = ${clickhouseLiteral(service)}`,
        rules,
      });
    } else
      throw missing(
        rules,
        `the score "${model}"`,
        'no table of the cluster holds it; give it in --profiles FILE (a score_' + model + ' column)',
      );
  }
  if (needed.segmentRules.length > 0)
    reads.push({ table: 'mining_segment_members', where: '1', rules: needed.segmentRules });
  if (reads.length === 0) return counts;

  const ranks = await modelRanks(cluster, file);
  for (const read of reads) {
    if (!(await hasFactsTable(cluster, read.table)) || !(await hasFactsTable(cluster, `${read.table}_local`)))
      throw missing(read.rules, what(read), `the ClickHouse warehouse has no ${read.table} table`);
    const rows = await cluster.scalar(`SELECT count() FROM ${read.table} WHERE ${read.where}`);
    if (rows === 0) throw missing(read.rules, what(read), `${read.table} on the cluster has no row for it`);
  }
  const state = engine.state;
  for (const read of reads) {
    // The latest result per subscriber, as on DuckDB: scores by their model's training time (then
    // version), segments by assignment time (then version). A fixed-width text orders like the pair.
    const latest =
      read.table === 'mining_segment_members'
        ? `argMax(segment, concat(toString(assigned_at), model_version))`
        : `argMax(score, ${rankSql(ranks)})`;
    let loaded = 0;
    await eachPage(
      cluster,
      { table: `${read.table}_local`, where: read.where, latest, share: options.share, pageRows: options.pageRows },
      (row) => {
        const sub = state.indexOf(row.msisdn);
        // Look the column up after indexOf: the state may grow (and replace its columns) on a new number.
        if (read.model) state.scoreColumn(read.model)[sub] = Number(row.value);
        else state.segment[sub] = engine.rules.segmentCode(String(row.value));
        loaded++;
      },
    );
    if (read.model === CHURN_MODEL) counts.churn += loaded;
    else if (read.model) counts.propensity += loaded;
    else counts.segments += loaded;
  }
  return counts;
}

function what(read: { model?: string }): string {
  if (read.model === undefined) return 'the segments (mining_segment_members)';
  return read.model === CHURN_MODEL ? 'the churn scores' : `the scores "${read.model}"`;
}

function missing(rules: string[], what: string, why: string): AppError {
  return new AppError(
    'WAREHOUSE_UNSUPPORTED',
    `rule ${rules.map((r) => `"${r}"`).join(', ')} needs ${what}, and ${why}: the stream does not start rather than act without them`,
    {
      location: { field: 'who' },
      hint: 'score the subscribers on the cluster first (telmark --warehouse … train --models churn|cross-sell|segments), or remove the condition from the rule',
    },
  );
}

/** Every model version ranked oldest first by training time then version, from the cluster's mining_models or the file's. */
async function modelRanks(cluster: ClickHouseWarehouse, file: Warehouse): Promise<Map<string, number>> {
  type ModelRow = { model_version: string; trained_at: string };
  let models: ModelRow[] = [];
  if (await hasFactsTable(cluster, 'mining_models'))
    models = await cluster.all<ModelRow>('SELECT model_version, toString(trained_at) AS trained_at FROM mining_models');
  if (models.length === 0 && (await file.tableExists('mining_models')))
    models = await file.all<ModelRow>(
      "SELECT model_version, strftime(trained_at, '%Y-%m-%d %H:%M:%S') AS trained_at FROM mining_models",
    );
  const versions = new Set<string>(models.map((m) => m.model_version));
  for (const table of ['mining_churn_scores', 'mining_propensity_scores'])
    if (await hasFactsTable(cluster, table))
      for (const row of await cluster.all<{ v: string }>(`SELECT DISTINCT model_version AS v FROM ${table}`))
        versions.add(row.v);
  const trainedAt = new Map(models.map((m) => [m.model_version, m.trained_at]));
  // DuckDB's order: trained_at DESC NULLS LAST, model_version DESC; here ascending, so argMax takes the latest.
  const ordered = [...versions].sort((a, b) => {
    const ta = trainedAt.get(a);
    const tb = trainedAt.get(b);
    if (ta !== tb) return ta === undefined ? -1 : tb === undefined ? 1 : ta < tb ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return new Map(ordered.map((v, i) => [v, i + 1]));
}

function rankSql(ranks: Map<string, number>): string {
  const versions = [...ranks.keys()].map(clickhouseLiteral).join(', ');
  const values = [...ranks.values()].join(', ');
  return `transform(model_version, [${versions}], [${values}], 0)`;
}

/** Per shard, the latest value per subscriber of the worker's share, in pages ordered by msisdn. */
async function eachPage(
  cluster: ClickHouseWarehouse,
  read: {
    table: string;
    where: string;
    latest: string;
    share?: { partitions: number; worker: WorkerSlot };
    pageRows?: number;
  },
  onRow: (row: { msisdn: string; value: string | number }) => void,
): Promise<void> {
  const pageRows = read.pageRows ?? 100_000;
  const share = read.share;
  const filter = share ? clickhouseWorkerFilter('msisdn', share.partitions, share.worker) : '1';
  for (const shard of cluster.shards) {
    let after = '';
    for (;;) {
      const rows = await cluster.allOn<{ msisdn: string; value: string | number }>(
        shard,
        `SELECT msisdn, ${read.latest} AS value FROM ${read.table} WHERE msisdn > ? AND ${read.where} AND ${filter} GROUP BY msisdn ORDER BY msisdn LIMIT ${pageRows}`,
        [after],
      );
      for (const row of rows)
        if (!share || partitionOf(row.msisdn, share.partitions) % share.worker.count === share.worker.index) onRow(row);
      if (rows.length < pageRows) break;
      after = rows[rows.length - 1]!.msisdn;
    }
  }
}
