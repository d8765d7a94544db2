// The commands carried to the ClickHouse warehouse so far. Any other command, given a ClickHouse
// `--warehouse` (flag, TELMARK_WAREHOUSE or the config file), refuses at once with the list, instead of
// quietly reading the DuckDB file beside it.
import { AppError } from '../shared/errors.ts';

/** Commands that run on ClickHouse. */
export const clickhouseCommands: readonly string[] = [
  'kpi',
  'load',
  'sql',
  'analyze',
  'serve',
  'audience',
  'campaign',
  'anomalies',
];
/** Commands that never open a warehouse, so any engine setting is fine. */
const warehouseFree: readonly string[] = ['generate', 'cluster', 'detect', 'smsc'];

let running: string | undefined;

export function setRunningCommand(name: string): void {
  running = name;
}

export function assertRunsOnEngine(warehouse: string | undefined): void {
  if (warehouse === undefined || running === undefined) return;
  if (clickhouseCommands.includes(running) || warehouseFree.includes(running)) return;
  throw new AppError('WAREHOUSE_UNSUPPORTED', `telmark ${running} does not run on a ClickHouse warehouse yet`, {
    location: { field: 'warehouse' },
    hint: `on ClickHouse: telmark ${clickhouseCommands.join(', ')}; leave --warehouse (and TELMARK_WAREHOUSE) out to use the DuckDB file (docs/scale-out.md)`,
  });
}
