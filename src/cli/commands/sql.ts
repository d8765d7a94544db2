import type { Command } from 'commander';
import { runReadOnlyQuery } from '../../warehouse/read-only-query.ts';
import { withWarehouse } from '../../warehouse/warehouse.ts';
import { makeContext } from '../context.ts';
import { formatRows } from '../output.ts';

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('run a read-only query on the warehouse')
    .argument('<query>', 'one SELECT (or WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) statement')
    .action(async (query: string) => {
      const context = makeContext(program.opts());
      const rows = await withWarehouse(context.config.db, (warehouse) => runReadOnlyQuery(warehouse, query));
      context.print(formatRows(rows, context.format));
    });
}
