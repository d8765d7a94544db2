import type { Command } from 'commander';
import { formatRows } from '../output.ts';

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('run a read-only query on the warehouse')
    .argument('<query>', 'one SELECT (or WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) statement')
    .action(async (query: string) => {
      const { makeContext } = await import('../context.ts');
      const { runReadOnlyQuery } = await import('../../warehouse/read-only-query.ts');
      const { withWarehouse } = await import('../../warehouse/warehouse.ts');
      const context = makeContext(program.opts());
      const rows = await withWarehouse(context.config.db, (warehouse) => runReadOnlyQuery(warehouse, query));
      context.print(formatRows(rows, context.format));
    });
}
