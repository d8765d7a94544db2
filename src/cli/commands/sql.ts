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
      // Read-only, no file access, configuration locked: the text comes from outside.
      const warehouse = await openQueryWarehouse(context.config.db);
      const rows = await runReadOnlyQuery(warehouse, query).finally(() => warehouse.close());
      context.print(formatRows(rows, context.format));
    });
}
