// `telmark rewards list|export`: the rewards trigger rules granted, and the file BOSS fulfils them from
// (layout in docs/stream.md, "Rewards"). Exporting marks the rewards exported, so each goes to BOSS once.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { loadContext, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

const statuses = ['pending', 'exported', 'fulfilled'];

function checkStatus(status: string | undefined): void {
  if (status !== undefined && !statuses.includes(status))
    throw new AppError('USAGE', `--status must be one of ${statuses.join(', ')}, not "${status}"`);
}

export function registerRewardsCommand(program: Command): void {
  const rewards = program
    .command('rewards')
    .description(
      'rewards granted by trigger rules (e.g. 5 queries to 12580 -> 5 yuan credit) and their export for BOSS',
    );
  rewards
    .command('list')
    .description('the latest rewards, with totals per rule and status')
    .option('--status <status>', 'pending, exported or fulfilled')
    .option('--rule <id>', 'only this rule')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (options: { status?: string; rule?: string; limit: string }) => {
      const context = await loadContext(program.opts());
      checkStatus(options.status);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('USAGE', '--limit must be a positive whole number');
      const { listRewards } = await import('../../stream/rewards/index.ts');
      const result = await withWarehouseLoaded(context.config.db, (warehouse) =>
        listRewards(warehouse, { status: options.status, rule: options.rule, limit }),
      );
      if (context.format === 'json') {
        context.print(JSON.stringify(result));
        return;
      }
      if (context.format === 'table') context.print(formatRows(result.byRule, 'table'));
      context.print(formatRows(result.rewards, context.format));
    });
  rewards
    .command('export')
    .description('write the pending rewards as the BOSS file and mark them exported')
    .option('--out <file>', 'write the file here (default: standard output)')
    .option(
      '--status <status>',
      'export rewards of this status instead of pending (e.g. exported, to resend)',
      'pending',
    )
    .option('--dry-run', 'write the file but leave the rewards pending')
    .action(async (options: { out?: string; status: string; dryRun?: boolean }) => {
      const context = await loadContext(program.opts());
      checkStatus(options.status);
      const { exportRewards } = await import('../../stream/rewards/index.ts');
      const exported = await withWarehouseLoaded(context.config.db, (warehouse) =>
        exportRewards(warehouse, { clock: systemClock, status: options.status, mark: !options.dryRun }),
      );
      if (options.out) writeFileSync(options.out, exported.csv);
      else process.stdout.write(exported.csv);
      const summary = `${exported.rows} rewards (¥${exported.amountYuan.toFixed(2)} of credit)${
        options.out ? ` written to ${options.out}` : ''
      }${options.dryRun ? ', left as they were (--dry-run)' : exported.rows > 0 ? `, batch ${exported.batch}` : ''}`;
      context.note(summary);
    });
}
