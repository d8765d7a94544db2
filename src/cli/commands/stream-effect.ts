import type { Command } from 'commander';
import { formatRows } from '../output.ts';

export function registerStreamEffectCommand(program: Command): void {
  program
    .command('stream-effect')
    .description('response of triggered subscribers against the held-out control, per trigger rule')
    .option('--by-area', 'break down by the area where the rule matched')
    .action(async (options: { byArea?: boolean }) => {
      const { makeContext } = await import('../context.ts');
      const { measureRuleEffect } = await import('../../stream/index.ts');
      const { withWarehouse } = await import('../../warehouse/warehouse.ts');
      const context = makeContext(program.opts());
      const rows = await withWarehouse(context.config.db, (warehouse) =>
        measureRuleEffect(warehouse, { byArea: options.byArea }),
      );
      context.print(formatRows(rows as unknown as Record<string, unknown>[], context.format));
    });
}
