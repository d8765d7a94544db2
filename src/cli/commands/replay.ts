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
    .option(
      '--nats <urls>',
      'publish to the partitioned stream SIG of a NATS cluster (nats://HOST:PORT,…; what telmark cluster up prints) instead of --to',
    )
    .option('--partitions <n>', 'with --nats: partitions sig.0 … sig.N-1, by subscriber', (v) => Number(v), 8)
    .option('--batch <n>', 'with --nats: events per message', (v) => Number(v), 500)
    .option(
      '--replicas <n>',
      'with --nats: copies of the stream when it is created (1 on a single server)',
      (v) => Number(v),
      3,
    )
    .action(async (options: ReplayOptions) => {
      const { makeContext } = await import('../context.ts');
      const { replaySignalling } = await import('../../stream/replay/replay-signalling.ts');
      const { openPartitionedTarget, openReplayTarget } = await import('../../stream/replay/replay-targets.ts');
      const { checkPartitionCount, parseNatsServers } = await import('../../stream/partitions/partition-of.ts');
      const context = makeContext(program.opts());
      if (!(options.speed >= 0)) throw new AppError('USAGE', '--speed must be 0 or more');
      if (options.nats !== undefined) {
        checkPartitionCount(options.partitions);
        if (!(Number.isInteger(options.batch) && options.batch >= 1 && options.batch <= 100_000))
          throw new AppError('USAGE', `--batch must be a whole number from 1 to 100000, not ${options.batch}`);
        if (!(options.replicas >= 1 && options.replicas <= 5))
          throw new AppError('USAGE', `--replicas must be 1 to 5, not ${options.replicas}`);
      }
      const partitioned =
        options.nats === undefined
          ? undefined
          : await openPartitionedTarget({
              servers: parseNatsServers(options.nats),
              partitions: options.partitions,
              batchEvents: options.batch,
              replicas: options.replicas,
            });
      const target = partitioned ?? (await openReplayTarget(options.to));
      const toScreen = options.to === '-' && !partitioned;
      try {
        const result = await replaySignalling({
          from: options.from,
          speed: options.speed,
          target,
          clock: systemClock,
          limit: options.limit,
          csv: options.csv,
          onProgress: (sent, ts) => {
            if (!toScreen) context.note(`replayed ${sent} events, event time ${ts}`);
          },
        });
        await target.close();
        const published = partitioned?.published();
        if (published) context.print(formatRows([{ ...result, ...published }], context.format));
        else if (!toScreen) context.print(formatRows([result], context.format));
        else context.note(`replayed ${result.sent} events (${result.rejected} rejected)`);
      } catch (error) {
        await target.close().catch(() => undefined);
        throw error;
      }
    });
}

interface ReplayOptions {
  from: string;
  to: string;
  speed: number;
  limit?: number;
  csv?: boolean;
  nats?: string;
  partitions: number;
  batch: number;
  replicas: number;
}
