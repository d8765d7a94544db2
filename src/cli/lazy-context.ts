// The command context (configuration through zod, progress bar) for commands whose module is loaded
// at every start: importing it inside the action keeps `telmark --help` light.
import type { Warehouse } from '../warehouse/index.ts';
import type { CommandContext, GlobalOptions } from './context.ts';

export async function loadContext(options: GlobalOptions): Promise<CommandContext> {
  const { makeContext } = await import('./context.ts');
  return makeContext(options);
}

/** `withWarehouse` with DuckDB loaded only when a command's action runs. */
export async function withWarehouseLoaded<T>(path: string, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const { withWarehouse } = await import('../warehouse/index.ts');
  return withWarehouse(path, work);
}

/**
 * The ClickHouse cluster holding the facts when `--warehouse` names one (the DuckDB file then keeps the
 * operational state: docs/scale-out.md), loaded only then; undefined for the DuckDB file alone.
 */
export async function openFactsLoaded(
  url: string | undefined,
): Promise<import('../warehouse/clickhouse/index.ts').ClickHouseWarehouse | undefined> {
  if (url === undefined) return undefined;
  const { ClickHouseWarehouse } = await import('../warehouse/clickhouse/index.ts');
  // No schema statements: the loader creates the facts' tables; what campaigns add, they create.
  return ClickHouseWarehouse.open(url, { readOnly: true });
}
