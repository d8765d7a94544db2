// Where the telecom models read their features and write their results: the DuckDB file, or a ClickHouse
// cluster (features per shard, results written to the shard of each subscriber). The two differ in SQL
// and in how a version is replaced, so the few places that touch them check `engine`.
import type { ClickHouseWarehouse, MiningRows } from '../../warehouse/clickhouse/index.ts';
import { replaceMiningVersion } from '../../warehouse/clickhouse/index.ts';
import { insertRows, type SqlParam, type Warehouse } from '../../warehouse/index.ts';

export type MiningWarehouse = Warehouse | ClickHouseWarehouse;

/** The columns of a `mining_models` row, in the order every model writes them. */
export const MINING_MODEL_COLUMNS = [
  'model_version',
  'purpose',
  'kind',
  'trained_at',
  'rows',
  'auc',
  'baseline_auc',
  'method',
  'model_json',
] as const;

/**
 * Replaces everything a model version wrote in the mining tables with `parts`: on DuckDB in one
 * transaction (queued on a connection of its own, as requests train side by side), on ClickHouse by
 * dropping the version's partition on every shard and writing each row where it belongs.
 */
export async function writeModelResults(
  warehouse: MiningWarehouse,
  version: string,
  parts: readonly MiningRows[],
): Promise<void> {
  if (warehouse.engine === 'clickhouse') {
    await replaceMiningVersion(warehouse, version, parts);
    return;
  }
  await warehouse.write(async (tx) => {
    for (const part of parts) {
      await tx.run(`DELETE FROM ${part.table} WHERE model_version = ?`, [version]);
      await insertRows(tx, part.table, part.columns, part.rows as readonly (readonly SqlParam[])[]);
    }
  });
}
