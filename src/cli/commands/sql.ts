import type { Command } from 'commander';
import { formatRows } from '../output.ts';

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('run a read-only query on the warehouse')
    .argument('<query>', 'one SELECT (or WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a SELECT) statement')
    .action(async (query: string) => {
      const { makeContext } = await import('../context.ts');
      const { openQueryWarehouse, runReadOnlyQuery } = await import('../../warehouse/read-only-query.ts');
      const context = makeContext(program.opts());
      if (context.config.warehouse) {
        // On ClickHouse the server's own readonly=1 refuses writes and SET, after the same text check.
        const { checkReadOnly } = await import('../../warehouse/read-only-query.ts');
        const { ClickHouseWarehouse } = await import('../../warehouse/clickhouse/index.ts');
        checkReadOnly(query);
        const cluster = await ClickHouseWarehouse.open(context.config.warehouse, { readOnly: true });
        context.print(formatRows(await cluster.readOnly().all(query.trim().replace(/;\s*$/, '')), context.format));
        return;
      }
      // Read-only, no file access, configuration locked: the text comes from outside.
      const warehouse = await openQueryWarehouse(context.config.db);
      const rows = await runReadOnlyQuery(warehouse, query).finally(() => warehouse.close());
      context.print(formatRows(rows, context.format));
    });
}
