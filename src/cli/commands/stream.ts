import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { TriggerEngine } from '../../stream/engine/trigger-engine.ts';
import { formatRows } from '../output.ts';

export function registerStreamCommand(program: Command): void {
  program
    .command('stream')
    .description(
      'run real-time trigger rules on a signalling stream; decisions go to stream_outbox, messages to the one outbox (telmark sender sends them)',
    )
    .option(
      '--source <spec>',
      'FILE, file:FILE, - (stdin), tcp://HOST:PORT (listen) or nats://HOST:PORT/SUBJECT[?stream=S&durable=D]',
    )
    .option(
      '--nats <urls>',
      'instead of --source: be a worker on the partitioned stream SIG of a NATS cluster (nats://HOST:PORT,…); needs --snapshot',
    )
    .option('--partitions <n>', 'with --nats: the stream’s partition count', (v) => Number(v), 8)
    .option('--worker <i/N>', 'with --nats: this is worker i of N and owns the partitions p with p mod N = i', '0/1')
    .option('--replicas <n>', 'with --nats: copies of the stream if this worker creates it', (v) => Number(v), 3)
    .option(
      '--ack-wait <seconds>',
      'with --nats: the server sends again what is not acknowledged within this',
      (v) => Number(v),
      30,
    )
    .option(
      '--area-reports <seconds>',
      'with --nats: send this worker’s live area counts on NATS this often, for the merged live page (0: off)',
      (v) => Number(v),
      5,
    )
    .option('--rules <file>', 'trigger rules (YAML or JSON); without it the rules stored in the warehouse are used')
    .option('--cells <file>', 'cells CSV (default: the warehouse table cells)')
    .option('--profiles <file>', 'CSV of msisdn, segment, opted_out, score_<model> columns')
    .option('--snapshot <file>', 'state snapshot: restored at start, written every few seconds and at exit')
    .option(
      '--snapshot-every <seconds>',
      'write the snapshot this often (and acknowledge a --nats stream)',
      (v) => Number(v),
      5,
    )
    .option('--follow', 'keep reading a file as it grows')
    .option(
      '--max-skew <duration>',
      'reject events further than this from the clock (45m, 6h, 2d, seconds, or off to replay recorded days); default: config stream.maxSkewSec',
    )
    .option('--max-lines <n>', 'stop after this many lines', (v) => Number(v))
    .option('--serve [port]', 'also serve the HTTP API and dashboard (live area view, rule edits) from this process')
    .option(
      '--simulate-responses <seed>',
      "demo: simulate orders after triggers with the demo generator's planted propensity for this seed",
      (v) => Number(v),
    )
    .action(async (options: StreamOptions) => {
      const { makeContext } = await import('../context.ts');
      const { startServer } = await import('../../api/start-server.ts');
      const { setLiveAreaBoard, setLiveStream } = await import('../../stream/live-stream.ts');
      const { openStreamSession } = await import('../../stream/stream-session.ts');
      const { announceOwner, withWarehouse } = await import('../../warehouse/index.ts');
      const { checkPartitionCount, parseNatsServers, parseWorkerSlot } = await import(
        '../../stream/partitions/partition-of.ts'
      );
      const context = makeContext(program.opts());
      if (!(options.snapshotEvery > 0)) throw new AppError('USAGE', '--snapshot-every must be more than 0 seconds');
      if ((options.source === undefined) === (options.nats === undefined))
        throw new AppError('USAGE', 'give either --source SPEC or --nats URLS (a worker of the partitioned stream)');
      if (options.nats !== undefined) {
        checkPartitionCount(options.partitions);
        if (!options.snapshot)
          throw new AppError(
            'USAGE',
            '--nats needs --snapshot FILE: acknowledgements follow the snapshot of the state',
            {
              hint: 'e.g. --snapshot worker-0.snap (one file per worker, kept where its replacement finds it)',
            },
          );
        if (!(options.ackWait > options.snapshotEvery))
          throw new AppError(
            'USAGE',
            '--ack-wait must be longer than --snapshot-every (acknowledgements follow snapshots)',
          );
        if (!(options.ackWait >= 1)) throw new AppError('USAGE', '--ack-wait must be 1 second or more');
        if (!(options.areaReports >= 0))
          throw new AppError(
            'USAGE',
            `--area-reports must be 0 (off) or a number of seconds, not ${options.areaReports}`,
          );
      }
      const source =
        options.nats === undefined
          ? (options.source as string)
          : {
              partitioned: {
                servers: parseNatsServers(options.nats),
                partitions: options.partitions,
                worker: parseWorkerSlot(options.worker),
                replicas: options.replicas,
                ackWaitMs: options.ackWait * 1000,
              },
            };
      if (options.maxLines !== undefined && !(options.maxLines > 0))
        throw new AppError('USAGE', '--max-lines must be a positive number');
      const maxSkewSec =
        options.maxSkew === undefined ? context.config.stream.maxSkewSec : parseMaxSkew(options.maxSkew);
      // With a ClickHouse warehouse the facts (cells, services, brands, scores) are read from the cluster;
      // decisions, the outbox and rewards still go to the --db file, one per worker (docs/scale-out.md).
      const { openFactsLoaded } = await import('../lazy-context.ts');
      const facts = await openFactsLoaded(context.config.warehouse);
      const summary = await withWarehouse(context.config.db, async (warehouse) => {
        const session = await openStreamSession({
          source,
          clock: systemClock,
          maxSkewSec,
          utcOffsetMinutes: context.config.stream.utcOffsetMinutes,
          warehouse,
          ...(facts ? { facts } : {}),
          rulesFile: options.rules,
          cellsFile: options.cells,
          profilesFile: options.profiles,
          snapshotPath: options.snapshot,
          snapshotEveryMs: options.snapshotEvery * 1000,
          follow: options.follow,
          maxLines: options.maxLines,
          note: context.note,
          channels: context.config.channels,
          ...(options.nats !== undefined && options.areaReports > 0
            ? { areaReports: { intervalMs: options.areaReports * 1000 } }
            : {}),
          onBatch: process.stderr.isTTY ? statusLine() : undefined,
          // Loaded only when asked for, so the stream never depends on the demo generator otherwise.
          simulateResponses:
            options.simulateResponses === undefined
              ? undefined
              : (await import('../../stream/effect/demo-propensity.ts')).demoPropensity(options.simulateResponses),
        });
        const server =
          options.serve === undefined
            ? undefined
            : await startServer({
                warehouse,
                ...(facts ? { facts } : {}),
                host: context.config.http.host,
                port: options.serve === true ? context.config.http.port : Number(options.serve),
                logLevel: 'warn',
              });
        // A worker that serves the page shows the sum of every worker's area counts, not its own share.
        const board =
          server && typeof source !== 'string' && options.areaReports > 0
            ? await (await import('../../stream/live/live-area-board.ts')).LiveAreaBoard.open({
                servers: source.partitioned.servers,
                clock: systemClock,
              })
            : undefined;
        setLiveAreaBoard(board);
        if (server)
          context.note(
            `serving ${server.url} (live area view on the stream page${board ? ', summed over the workers that report' : ''})`,
          );
        const release = announceOwner(context.config.db, {
          role: 'telmark stream',
          ...(server ? { url: server.url } : {}),
        });
        setLiveStream(session);
        const stop = () => void session.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          return await session.run();
        } finally {
          setLiveStream(undefined);
          setLiveAreaBoard(undefined);
          await board?.close();
          await server?.close();
          release();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
      const { rejections, rejectedBy, ...totals } = summary;
      const byReason = Object.fromEntries(Object.entries(rejectedBy).map(([code, n]) => [`rejected_${code}`, n]));
      context.print(formatRows([{ ...totals, ...byReason }], context.format));
      for (const [reason, count] of Object.entries(rejections)) context.note(`rejected ${count}: ${reason}`);
    });
}

/** `--max-skew`: off, or a duration (`45m`, `6h`, `2d`, plain seconds). */
function parseMaxSkew(text: string): number {
  if (text === 'off' || text === '0') return 0;
  const match = /^(\d+)\s*(s|m|min|h|d)?$/.exec(text.trim());
  if (!match) throw new AppError('USAGE', `--max-skew must be a duration such as 45m, 6h or 2d, or off; not "${text}"`);
  const unit = { s: 1, m: 60, min: 60, h: 3600, d: 86400 }[match[2] ?? 's'] ?? 1;
  return Number(match[1]) * unit;
}

/** A one-line running status on the terminal, at most every second. */
function statusLine(): (engine: TriggerEngine) => void {
  let last = 0;
  return (engine) => {
    const now = systemClock.nowMs();
    if (now - last < 1000) return;
    last = now;
    const c = engine.counters;
    const at = engine.watermarkMs > 0 ? new Date(engine.watermarkMs).toISOString().slice(0, 19).replace('T', ' ') : '-';
    process.stderr.write(
      `\r${at}  events ${c.events}  rejected ${c.rejected} (skew ${c.rejectedBy.clock_skew}, cells ${c.rejectedBy.unknown_cell})  decisions ${c.decisions}  subscribers ${engine.state.count}   `,
    );
  };
}

interface StreamOptions {
  source?: string;
  nats?: string;
  partitions: number;
  worker: string;
  replicas: number;
  ackWait: number;
  areaReports: number;
  snapshotEvery: number;
  rules?: string;
  cells?: string;
  profiles?: string;
  snapshot?: string;
  follow?: boolean;
  maxSkew?: string;
  maxLines?: number;
  serve?: string | true;
  simulateResponses?: number;
}
