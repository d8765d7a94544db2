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
      if (code >= 0) state.brand[state.indexOf(row.msisdn)] = code;
    }
    subscribers = rows.length;
  }
  const optOuts = await warehouse.all<{ msisdn: string }>(
    'SELECT msisdn FROM channel_opt_outs UNION SELECT msisdn FROM stream_opt_outs',
  );
  for (const row of optOuts) state.optedOut[state.indexOf(row.msisdn)] = 1;
  return { subscribers, optedOut: optOuts.length };
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
  for (const row of rows) engine.state.optedOut[engine.state.indexOf(row.msisdn)] = 1;
  return count;
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
