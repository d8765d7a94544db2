import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { formatRows } from '../output.ts';

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('replay generated signalling (signalling_YYYYMMDD.csv) as a live stream')
    .requiredOption('--from <dir>', 'directory with signalling_YYYYMMDD.csv files')
    .option('--to <target>', 'FILE (appended), - (stdout), tcp://HOST:PORT or nats://HOST:PORT/SUBJECT', '-')
    .option(
      '--speed <factor>',
      'event time per wall time (60 = a minute a second; 0 = as fast as possible)',
      (v) => Number(v),
      60,
    )
    .option('--limit <n>', 'stop after this many events', (v) => Number(v))
    .option('--csv', 'send CSV rows instead of JSON lines')
    .action(async (options: { from: string; to: string; speed: number; limit?: number; csv?: boolean }) => {
      const { makeContext } = await import('../context.ts');
      const { replaySignalling } = await import('../../stream/replay/replay-signalling.ts');
      const { openReplayTarget } = await import('../../stream/replay/replay-targets.ts');
      const context = makeContext(program.opts());
      if (!(options.speed >= 0)) throw new AppError('USAGE', '--speed must be 0 or more');
      const target = await openReplayTarget(options.to);
      try {
        const result = await replaySignalling({
          from: options.from,
          speed: options.speed,
          target,
          clock: systemClock,
          limit: options.limit,
          csv: options.csv,
          onProgress: (sent, ts) => {
            if (options.to !== '-') context.note(`replayed ${sent} events, event time ${ts}`);
          },
        });
        if (options.to !== '-') context.print(formatRows([result], context.format));
        else context.note(`replayed ${result.sent} events (${result.rejected} rejected)`);
      } finally {
        await target.close();
      }
    });
}
