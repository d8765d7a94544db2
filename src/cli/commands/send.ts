import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { loadContext, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

interface SendOptions {
  list: string;
  text: string;
  name?: string;
  channel: string;
  subject?: string;
}

export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('queue an ad-hoc list through the contact policy (the sender sends it)')
    .requiredOption('--list <file.csv>', 'CSV with a header: msisdn (or email) and any columns the template uses')
    .requiredOption('--text <template>', "message text; {column} is replaced by the row's value")
    .option('--name <name>', 'name of this send in the outbox (default: the file name)')
    .option('--channel <channel>', 'sms or email', 'sms')
    .option('--subject <subject>', 'e-mail subject')
    .action(async (options: SendOptions) => {
      const context = await loadContext(program.opts());
      if (options.channel !== 'sms' && options.channel !== 'email')
        throw new AppError('USAGE', `--channel must be sms or email, not "${options.channel}"`);
      const { sendList } = await import('../../channels/index.ts');
      const result = await withWarehouseLoaded(context.config.db, (warehouse) =>
        sendList(warehouse, {
          file: options.list,
          text: options.text,
          name: options.name,
          channel: options.channel as 'sms' | 'email',
          subject: options.subject,
          config: context.config.channels,
          clock: systemClock,
        }),
      );
      if (context.format === 'json') {
        context.print(JSON.stringify({ queued: result.queued, skipped: result.skipped }));
        return;
      }
      const rows = [
        { outcome: 'queued', reason: '', messages: result.queued },
        ...Object.entries(result.deferred).map(([reason, n]) => ({ outcome: 'queued, deferred', reason, messages: n })),
        ...Object.entries(result.skipped).map(([reason, n]) => ({ outcome: 'skipped', reason, messages: n })),
      ];
      context.print(formatRows(rows, context.format));
    });
}
