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
  // `train --models churn|cross-sell|segments`: features per shard, results written to each shard.
  'train',
  // The profile's facts and scores from the subscriber's shard, the live rows and the audit in the file.
  'customer',
  // `rules --baskets-from holdings|monthly-usage`: one basket per subscriber from the cluster.
  'rules',
  // Cells, services, brands and model results from the cluster; decisions and the outbox in the --db file.
  'stream',
];
/** Commands that never open a warehouse, so any engine setting is fine. */
const warehouseFree: readonly string[] = ['generate', 'cluster', 'detect', 'smsc', 'score', 'segment'];
/**
 * Commands that touch only the operational store, the `--db` file that stays beside a ClickHouse
 * warehouse (accounts, tokens, the audit log, the outbox and its sender): with TELMARK_WAREHOUSE set,
 * an operator must still be able to add the users who sign in to `telmark serve` on the cluster.
 */
const operationalStoreOnly: readonly string[] = ['user', 'token', 'audit', 'outbox', 'send', 'sender'];

let running: string | undefined;

export function setRunningCommand(name: string): void {
  running = name;
}

export function assertRunsOnEngine(warehouse: string | undefined): void {
  if (warehouse === undefined || running === undefined) return;
  if (clickhouseCommands.includes(running) || warehouseFree.includes(running)) return;
  if (operationalStoreOnly.includes(running)) return;
  throw new AppError('WAREHOUSE_UNSUPPORTED', `telmark ${running} does not run on a ClickHouse warehouse yet`, {
    location: { field: 'warehouse' },
    hint: `on ClickHouse: telmark ${clickhouseCommands.join(', ')} (and ${operationalStoreOnly.join(', ')} on the --db file beside it); leave --warehouse (and TELMARK_WAREHOUSE) out to use the DuckDB file (docs/scale-out.md)`,
  });
}
