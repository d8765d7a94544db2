import type { Command } from 'commander';
import { loadContext, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

export function registerSimulateResponsesCommand(program: Command): void {
  program
    .command('simulate-responses')
    .description(
      "demo only: turn delivered campaign messages into the next days' order files (orders_YYYYMMDD.csv) from the planted campaign effect; load them with `telmark load DIR`",
    )
    .requiredOption('--out <dir>', 'folder to write the order files to (created when missing)')
    .action(async (options: { out: string }) => {
      const context = await loadContext(program.opts());
      const { simulateResponses } = await import('../../campaigns/simulation/index.ts');
      const result = await withWarehouseLoaded(context.config.db, (warehouse) =>
        simulateResponses(warehouse, options.out),
      );
      if (context.format === 'json') {
        context.print(JSON.stringify(result));
        return;
      }
      if (context.format === 'table')
        context.print(
          `${result.deliveries} delivered campaign messages; orders: ${result.orders.campaign} caused by a message, ${result.orders.baseline} baseline`,
        );
      context.print(formatRows(result.files, context.format));
    });
}
