// A cheap token that changes whenever what the analyses read changes: the loader bumps data_version
// each time it rebuilds the aggregates, and every loaded file gets a new file_id. Readers that keep
// results (the API's cache) compare tokens instead of guessing lifetimes.
import type { QueryWarehouse } from './query-warehouse.ts';

export async function dataVersion(warehouse: QueryWarehouse): Promise<string> {
  if (warehouse.engine === 'clickhouse') {
    // No meta table there: the registry changes with every file shipped (and the rebuild follows it).
    const row = await warehouse.one<{ files: number; last: string }>(
      'SELECT count() AS files, toString(max(loaded_at)) AS last FROM load_files',
    );
    return `${row?.files ?? 0}/${row?.last ?? ''}`;
  }
  const row = await warehouse.one<{ version: string | null; last_file: number | null }>(
    `SELECT (SELECT value FROM meta WHERE key = 'data_version') AS version,
            (SELECT max(file_id) FROM load_files) AS last_file`,
  );
  return `${row?.version ?? 0}/${row?.last_file ?? 0}`;
}
