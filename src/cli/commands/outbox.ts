import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { loadContext, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

interface ListOptions {
  status?: string;
  channel?: string;
  source?: string;
  recipient?: string;
  limit: string;
}

export function registerOutboxCommand(program: Command): void {
  const outbox = program.command('outbox').description('the one outbox: counts by status, reasons, messages');
  outbox
    .command('status')
    .description('messages by channel and status ({"sms":{"pending":N,"submitted":N,…},…} with --format json)')
    .action(async () => {
      const context = await loadContext(program.opts());
      const { outboxStatus } = await import('../../channels/index.ts');
      const status = await withWarehouseLoaded(context.config.db, (warehouse) => outboxStatus(warehouse));
      if (context.format === 'json') context.print(JSON.stringify(status));
      else
        context.print(
          formatRows(
            Object.entries(status).map(([channel, counts]) => ({ channel, ...counts })),
            context.format,
          ),
        );
    });
  outbox
    .command('reasons')
    .description('skipped, deferred, failed and unknown messages by reason')
    .action(async () => {
      const context = await loadContext(program.opts());
      const { outboxReasons } = await import('../../channels/index.ts');
      const rows = await withWarehouseLoaded(context.config.db, (warehouse) => outboxReasons(warehouse));
      context.print(formatRows(rows as unknown as Record<string, unknown>[], context.format));
    });
  outbox
    .command('dnd-import')
    .description('add numbers to the do-not-disturb list: a file with one MSISDN a line, or a CSV with a msisdn column')
    .argument('<file>', 'the list')
    .option('--note <text>', 'where the list came from')
    .action(async (file: string, options: { note?: string }) => {
      const context = await loadContext(program.opts());
      const { readMsisdnList, importDoNotDisturb } = await import('../../channels/index.ts');
      const { sqlTimestamp } = await import('../../warehouse/sql-text.ts');
      const numbers = readMsisdnList(file);
      const added = await withWarehouseLoaded(context.config.db, (warehouse) =>
        importDoNotDisturb(warehouse, numbers, {
          at: sqlTimestamp(systemClock.now()),
          note: options.note ?? file,
        }),
      );
      const result = { read: numbers.length, added };
      context.print(context.format === 'json' ? JSON.stringify(result) : formatRows([result], context.format));
    });
  outbox
    .command('list')
    .description('the latest messages, filtered')
    .option('--status <status>', 'pending, submitting, submitted, delivered, failed, expired, unknown or skipped')
    .option('--channel <channel>', 'sms or email')
    .option('--source <source>', 'trigger, campaign, adhoc, alert, system, or a rule/campaign/list name')
    .option('--recipient <text>', 'recipients containing this text')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (options: ListOptions) => {
      const context = await loadContext(program.opts());
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new AppError('USAGE', '--limit must be a positive whole number');
      const { listOutbox, messageStatuses } = await import('../../channels/index.ts');
      if (options.status && !(messageStatuses as readonly string[]).includes(options.status))
        throw new AppError('USAGE', `--status must be one of ${messageStatuses.join(', ')}`);
      const rows = await withWarehouseLoaded(context.config.db, (warehouse) =>
        listOutbox(warehouse, { ...options, limit }),
      );
      context.print(formatRows(rows as unknown as Record<string, unknown>[], context.format));
    });
}
