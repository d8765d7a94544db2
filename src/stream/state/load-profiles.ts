// Fills the "who" columns of the subscriber state: brand from the warehouse's subscribers, opt-outs
// from the channels' one opt-out list (channel_opt_outs, plus the rows of the older stream_opt_outs,
// which nothing writes any more), and optionally segments and model scores from a CSV
// (msisdn, segment, opted_out, score_<model>...).
import { readFileSync } from 'node:fs';
import { brands } from '../../feeds/contract.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import { splitCsvLine } from '../geofences/cell-directory.ts';

export async function loadWarehouseProfiles(
  warehouse: Warehouse,
  engine: TriggerEngine,
): Promise<{ subscribers: number; optedOut: number }> {
  const state = engine.state;
  let subscribers = 0;
  if (await warehouse.tableExists('subscribers')) {
    const rows = await warehouse.all<{ msisdn: string; brand: string }>('SELECT msisdn, brand FROM subscribers');
    for (const row of rows) {
      const code = brands.indexOf(row.brand as (typeof brands)[number]);
      // indexOf first: it may grow the state and replace its arrays (state.brand[state.indexOf(…)]
      // would write into the old one, losing the brand of every subscriber that made it grow).
      const sub = state.indexOf(row.msisdn);
      if (code >= 0) state.brand[sub] = code;
    }
    subscribers = rows.length;
  }
  return { subscribers, optedOut: await loadOptOuts(warehouse, engine) };
}

/** The opt-outs of the operational store (the file, also beside a ClickHouse warehouse). */
export async function loadOptOuts(warehouse: Warehouse, engine: TriggerEngine): Promise<number> {
  const optOuts = await warehouse.all<{ msisdn: string }>(
    'SELECT msisdn FROM channel_opt_outs UNION SELECT msisdn FROM stream_opt_outs',
  );
  for (const row of optOuts) markOptedOut(engine, row.msisdn);
  return optOuts.length;
}

/**
 * Opt-outs that arrived while the stream runs (an MO "TD" taken by the sender, an import): the engine
 * stops deciding for them at once instead of leaving it to the outbox's second check. The list only
 * grows, so a changed count means new rows; returns the count to pass next time.
 */
export async function refreshOptOuts(warehouse: Warehouse, engine: TriggerEngine, known: number): Promise<number> {
  const count = await warehouse.scalar('SELECT count(*) FROM channel_opt_outs');
  if (count === known) return known;
  const rows = await warehouse.all<{ msisdn: string }>('SELECT msisdn FROM channel_opt_outs');
  for (const row of rows) markOptedOut(engine, row.msisdn);
  return count;
}

/** The score models a profile CSV gives (its `score_<model>` header columns). */
export function profileCsvScoreModels(path: string): Set<string> {
  const header = splitCsvLine(readFileSync(path, 'utf8').split(/\r?\n/, 1)[0] ?? '');
  return new Set(header.filter((name) => name.startsWith('score_')).map((name) => name.slice(6)));
}

/** indexOf before the array is read: it may grow the state and replace its arrays. */
function markOptedOut(engine: TriggerEngine, msisdn: string): void {
  const sub = engine.state.indexOf(msisdn);
  engine.state.optedOut[sub] = 1;
}

export function loadProfileCsv(path: string, engine: TriggerEngine): number {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const at = (name: string) => header.indexOf(name);
  const scoreColumns = header
    .map((name, i) => ({ name, i }))
    .filter((c) => c.name.startsWith('score_'))
    .map((c) => ({ i: c.i, model: c.name.slice(6) }));
  const state = engine.state;
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    const sub = state.indexOf(cells[at('msisdn')]!);
    if (at('brand') >= 0) {
      const code = brands.indexOf(cells[at('brand')] as (typeof brands)[number]);
      if (code >= 0) state.brand[sub] = code;
    }
    if (at('segment') >= 0 && cells[at('segment')])
      state.segment[sub] = engine.rules.segmentCode(cells[at('segment')]!);
    if (at('opted_out') >= 0) state.optedOut[sub] = cells[at('opted_out')] === '1' ? 1 : 0;
    // Score columns may have grown with the state: look them up per row.
    for (const s of scoreColumns) {
      const value = Number(cells[s.i]);
      if (cells[s.i] !== '' && !Number.isNaN(value)) state.scoreColumn(s.model)[sub] = value;
    }
  }
  return lines.length - 1;
}

/** The latest stored score per subscriber of each model version's purpose (NULL trained_at last). */
const latestChurnScores = `
  SELECT c.msisdn, c.score FROM mining_churn_scores c LEFT JOIN mining_models m USING (model_version)
  QUALIFY row_number() OVER (PARTITION BY c.msisdn ORDER BY m.trained_at DESC NULLS LAST, c.model_version DESC) = 1`;
const latestPropensityScores = `
  SELECT p.msisdn, p.service_id, p.score FROM mining_propensity_scores p LEFT JOIN mining_models m USING (model_version)
  QUALIFY row_number() OVER (PARTITION BY p.msisdn, p.service_id ORDER BY m.trained_at DESC NULLS LAST, p.model_version DESC) = 1`;
const latestSegments = `
  SELECT s.msisdn, s.segment FROM mining_segment_members s
  QUALIFY row_number() OVER (PARTITION BY s.msisdn ORDER BY s.assigned_at DESC, s.model_version DESC) = 1`;

/** Score model names a rule's `who.scores` may use: `churn`, and `propensity:<service_id>` per service. */
export const CHURN_MODEL = 'churn';
export const propensityModel = (serviceId: string) => `propensity:${serviceId}`;

/**
 * The mining results in the warehouse reach the rules' `who`: the latest churn score of each
 * subscriber (model `churn`), the latest propensity per service (`propensity:<service_id>`) and the
 * latest segment (mining_segment_members). Read when the stream starts; a profile CSV given after it
 * overrides single values.
 */
export async function loadStoredModelResults(
  warehouse: Warehouse,
  engine: TriggerEngine,
): Promise<{ churn: number; propensity: number; segments: number }> {
  const state = engine.state;
  const [churn, propensity, segments] = await Promise.all([
    warehouse.all<{ msisdn: string; score: number }>(latestChurnScores),
    warehouse.all<{ msisdn: string; service_id: string; score: number }>(latestPropensityScores),
    warehouse.all<{ msisdn: string; segment: string }>(latestSegments),
  ]);
  // A reload replaces what an earlier read put there: a subscriber no longer scored has no score.
  for (const model of state.scoreModels())
    if (model === CHURN_MODEL || model.startsWith('propensity:')) state.scoreColumn(model).fill(Number.NaN);
  if (segments.length > 0) state.segment.fill(0);
  // Look the column up after indexOf: the state may grow (and replace its columns) on a new number.
  for (const row of churn) {
    const sub = state.indexOf(row.msisdn);
    state.scoreColumn(CHURN_MODEL)[sub] = row.score;
  }
  for (const row of propensity) {
    const sub = state.indexOf(row.msisdn);
    state.scoreColumn(propensityModel(row.service_id))[sub] = row.score;
  }
  for (const row of segments) {
    const sub = state.indexOf(row.msisdn);
    state.segment[sub] = engine.rules.segmentCode(row.segment);
  }
  return { churn: churn.length, propensity: propensity.length, segments: segments.length };
}
