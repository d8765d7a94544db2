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
