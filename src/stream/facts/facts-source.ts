// Where a stream reads its facts (cells, services, subscribers' brands, model results): the DuckDB
// file, or the ClickHouse cluster beside it (docs/scale-out.md, "Operational state beside ClickHouse").
// Decisions, the outbox and rewards always go to the file.
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';

export type FactsSource = Warehouse | ClickHouseWarehouse;

/** Whether the facts hold a table (on the cluster: its Distributed table in the cluster's database). */
export async function hasFactsTable(facts: FactsSource, name: string): Promise<boolean> {
  if (facts.engine === 'duckdb') return facts.tableExists(name);
  const count = await facts.scalar(
    'SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = ?',
    [name],
  );
  return count > 0;
}
