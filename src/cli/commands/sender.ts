import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { loadContext, withWarehouseLoaded } from '../lazy-context.ts';
import { formatRows } from '../output.ts';

interface SenderFlags {
  smsc?: string;
  smtp?: string;
  tps?: string;
  window?: string;
  once?: boolean;
}

export function registerSenderCommand(program: Command): void {
  program
    .command('sender')
    .description('send what the outbox holds (SMS over SMPP, e-mail over SMTP); receipts and replies come back')
    .option('--smsc <url>', 'smpp://SYSTEM_ID:PASSWORD@HOST:PORT')
    .option('--smtp <url>', 'smtp://[USER:PASS@]HOST:PORT (STARTTLS when the server offers it)')
    .option('--tps <n>', 'submit_sm per second (default: channels.sms.tps)')
    .option('--window <n>', 'outstanding submit_sm at most (default: channels.sms.window, 10)')
    .option('--once', 'stop when nothing is due and every submitted SMS has its receipt or timed out')
    .action(async (flags: SenderFlags) => {
      const context = await loadContext(program.opts());
      const positive = (flag: string, value: string | undefined) => {
        if (value === undefined) return undefined;
        const n = Number(value);
        if (!(n > 0)) throw new AppError('USAGE', `${flag} must be a positive number`);
        return n;
      };
      const tps = positive('--tps', flags.tps);
      const window = positive('--window', flags.window);
      if (window !== undefined && !Number.isInteger(window))
        throw new AppError('USAGE', '--window must be a whole number');
      const { parseSmppUrl, redactSmppUrl, runSender } = await import('../../channels/index.ts');
      const smsc = flags.smsc ? parseSmppUrl(flags.smsc) : undefined;
      if (!smsc && !flags.smtp)
        throw new AppError('USAGE', 'give --smsc smpp://ID:PW@HOST:PORT and/or --smtp smtp://HOST:PORT');
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const tty = process.stderr.isTTY;
      const summary = await withWarehouseLoaded(context.config.db, async (warehouse) => {
        const { announceOwner } = await import('../../warehouse/index.ts');
        const release = announceOwner(context.config.db, { role: 'telmark sender' });
        try {
          if (flags.smsc)
            context.note(
              `sender: ${redactSmppUrl(flags.smsc)}${flags.smtp ? ` and ${flags.smtp.replace(/:[^:@/]*@/, ':***@')}` : ''}`,
            );
          return await runSender({
            warehouse,
            config: context.config.channels,
            clock: systemClock,
            smsc,
            smtpUrl: flags.smtp,
            tps,
            window,
            once: flags.once,
            signal: controller.signal,
            onProgress: tty
              ? (p) =>
                  process.stderr.write(
                    `\r${p.bound ? 'bound' : 'unbound'} | sent ${p.submitted} | delivered ${p.delivered} | failed ${p.failed} | unknown ${p.unknown} | skipped ${p.skipped} | due ${p.queueDepth} | ${p.ratePerSec}/s \x1b[K`,
                  )
              : undefined,
          });
        } finally {
          release();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
      if (tty) process.stderr.write('\n');
      const { recovered, ...counts } = summary;
      const result = { ...counts, recoveredUnknown: recovered.unknown, recoveredResent: recovered.resent };
      context.print(context.format === 'json' ? JSON.stringify(result) : formatRows([result], context.format));
    });
}
