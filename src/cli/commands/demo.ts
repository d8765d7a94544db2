// `telmark demo` (and so `npm start`): a newcomer's first run. Generates the demo operator once,
// loads it (a no-op when already loaded), prints the headline KPIs, builds the dashboard if needed,
// and serves it as soon as the data is loaded; the demo campaigns, the live replay and the models
// follow in the background (demo-background.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { defaultGenerateOptions, type GenerateOptions } from '../../demo/generation-context.ts';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { CommandContext } from '../context.ts';
import { headlineLine } from '../headline-line.ts';
import { prepareAccess, serverAccess } from './serve.ts';

const MARKER = '.telmark-demo.json';
const exampleRules = fileURLToPath(new URL('../../../examples/rules/heyuan.yaml', import.meta.url));

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('generate the demo operator (once), load it, print the headline KPIs and serve the dashboard')
    .option('--subscribers <n>', 'subscribers of the demo operator', String(defaultGenerateOptions.subscribers))
    .option('--port <port>', 'TCP port (default 8080, or TELMARK_PORT)')
    .option('--no-serve', 'stop after loading and printing the summary')
    .option('--no-campaigns', 'skip the demo campaigns (one finished into the knowledge base, one running)')
    .option('--no-live', 'serve without replaying live signalling through the example trigger rules')
    .option('--speed <factor>', 'live replay: event time per wall time (120 = two minutes a second)', '120')
    .action(
      async (options: {
        subscribers: string;
        port?: string;
        serve: boolean;
        live: boolean;
        campaigns: boolean;
        speed: string;
      }) => {
        const { makeContext } = await import('../context.ts');
        const { startServer } = await import('../../api/start-server.ts');
        const { loadDirectory } = await import('../../warehouse/load/index.ts');
        const { announceOwner, Warehouse } = await import('../../warehouse/index.ts');
        const { loadProgressOn } = await import('../load-progress.ts');
        const { startDemoLiveStream } = await import('../../stream/demo-live-stream.ts');
        const context = makeContext(program.opts());
        const subscribers = Number(options.subscribers);
        if (!Number.isInteger(subscribers) || subscribers < 100 || subscribers > 5_000_000) {
          throw new AppError(
            'USAGE',
            `--subscribers must be a whole number from 100 to 5000000, not "${options.subscribers}"`,
          );
        }
        const port = options.port === undefined ? context.config.http.port : Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new AppError('USAGE', `--port must be 0–65535, not "${options.port}"`);
        const speed = Number(options.speed);
        if (!(speed > 0 && speed <= 100_000))
          throw new AppError('USAGE', `--speed must be a number above 0, not "${options.speed}"`);
        const dir = resolve(context.config.demoDir);
        await ensureGenerated(context, {
          ...defaultGenerateOptions,
          subscribers,
          outDir: dir,
          signallingDays: [defaultGenerateOptions.days - 1],
        });

        const warehouse = await Warehouse.open(context.config.db, {
          threads: context.config.threads,
          memoryLimit: context.config.memoryLimit,
        });
        let handedOver = false;
        try {
          context.note(`telmark: loading ${dir} into ${context.config.db}`);
          const summary = await loadDirectory(warehouse, dir, {
            clock: systemClock,
            progress: loadProgressOn(context.progress),
            periodToleranceDays: context.config.load.periodToleranceDays,
          });
          context.progress.stop();
          const fresh = summary.files.filter((f) => f.outcome !== 'skipped').length;
          context.note(
            fresh === 0
              ? 'telmark: the warehouse already holds the demo operator'
              : `telmark: loaded ${summary.rowsLoaded.toLocaleString('en')} rows from ${fresh} files in ${((summary.loadMs + summary.derivedMs) / 1000).toFixed(1)} s`,
          );
          if (summary.derivedFrom && summary.derivedTo) {
            // As after any load: judge the loaded days, so the alerts page has the planted anomalies.
            const { detectWarehouseAnomalies } = await import('../../anomalies/index.ts');
            const found = await detectWarehouseAnomalies(warehouse, {
              from: summary.derivedFrom,
              to: summary.derivedTo,
              clock: systemClock,
            });
            context.note(`telmark: ${found.anomalies.length} anomalies found (telmark anomalies, /alerts)`);
          }
          await printHeadlines(context, warehouse);
          const note = (text: string) => context.note(`telmark: ${text}`);
          if (!options.serve) {
            // Nothing to serve: the demo campaigns (one finished into the knowledge base, one running) here and now.
            if (options.campaigns) {
              const { runDemoCampaigns } = await import('../../campaigns/index.ts');
              await runDemoCampaigns(warehouse, { demoDir: dir, channels: context.config.channels, note });
            }
            return;
          }
          const { defaultWebRoot } = await import('../../api/server.ts');
          const { ensureWebBuilt } = await import('../ensure-web-built.ts');
          const { ensureDemoUsers } = await import('../../access/index.ts');
          const { startDemoBackground } = await import('../demo-background.ts');
          await ensureWebBuilt({ webRoot: defaultWebRoot, note: context.note });
          await prepareAccess(context, warehouse);
          const demoUsers = await ensureDemoUsers(warehouse, systemClock);
          const server = await startServer({
            warehouse,
            host: context.config.http.host,
            port,
            logLevel: 'warn',
            channels: context.config.channels,
            ...serverAccess(context),
          });
          handedOver = true;
          const release = announceOwner(context.config.db, { role: 'telmark demo', url: server.url });
          context.print('\nDemo users (passwords shown once; new ones every run):');
          for (const user of demoUsers)
            context.print(`  ${user.username.padEnd(22)} ${user.password}   ${user.roles.join(',')}`);
          context.print(`\nTelmark is running: ${server.url}   (API docs: ${server.url}/api/docs; Ctrl+C to stop)`);
          // Serving first: the demo campaigns, then the live replay and the models, follow in the
          // background (demo-background.ts), each with a note when it is ready.
          const background = startDemoBackground({
            warehouse,
            demoDir: dir,
            channels: context.config.channels,
            campaigns: options.campaigns,
            note,
            ...(options.live
              ? {
                  startLive: async () => {
                    const live = await startDemoLiveStream({
                      warehouse,
                      demoDir: dir,
                      rulesFile: exampleRules,
                      seed: defaultGenerateOptions.seed,
                      speed,
                      fromTimeOfDay: '07:00',
                      clock: systemClock,
                      maxSkewSec: context.config.stream.maxSkewSec,
                      utcOffsetMinutes: context.config.stream.utcOffsetMinutes,
                      note,
                    });
                    // Beside the stream: a local SMSC and the sender, so the live page counts messages sent,
                    // delivered and failed. The sender has its own connection: its transactions must not wrap
                    // the stream's writes.
                    const sending = await startDemoSending(context, await warehouse.connectAnother());
                    context.print(
                      `Live: the last day's signalling replays at ${speed}× through examples/rules/heyuan.yaml: ${server.url}/stream`,
                    );
                    return {
                      async stop() {
                        await live.stop();
                        await sending.stop();
                      },
                    };
                  },
                }
              : {}),
          });
          await new Promise<void>((done) => {
            const stop = () => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
              // With no listener left, Node's default for the next SIGINT ends the process.
              note('stopping (a second Ctrl+C quits at once)');
              void background
                .stop()
                .then(() => server.close())
                .then(() => {
                  release();
                  warehouse.close();
                  done();
                });
            };
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
          });
        } finally {
          if (!handedOver) warehouse.close();
        }
      },
    );
}

/** The local SMSC (receipts after two seconds, 3 % undeliverable) and the sender on the demo's outbox. */
async function startDemoSending(context: CommandContext, connection: Warehouse): Promise<{ stop(): Promise<void> }> {
  const { LocalSmsc, runSender } = await import('../../channels/index.ts');
  const smsc = new LocalSmsc({ port: 0, receiptDelayMs: 2000, failureRate: 0.03, systemId: 'demo', password: 'demo' });
  const port = await smsc.start();
  const controller = new AbortController();
  const sending = runSender({
    warehouse: connection,
    config: context.config.channels,
    clock: systemClock,
    smsc: { host: '127.0.0.1', port, systemId: 'demo', password: 'demo' },
    signal: controller.signal,
  }).catch((error: unknown) => context.note(`telmark: sender stopped: ${String(error)}`));
  context.note(`telmark: local SMSC on 127.0.0.1:${port}, sender running (telmark outbox status shows the counts)`);
  return {
    async stop() {
      controller.abort();
      await sending;
      await smsc.stop();
      connection.close();
    },
  };
}

async function ensureGenerated(context: CommandContext, options: GenerateOptions): Promise<void> {
  const marker = join(options.outDir, MARKER);
  const wanted = JSON.stringify(options);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  const { generateDemoOperator } = await import('../../demo/index.ts');
  context.note(
    `telmark: generating the demo operator (${options.subscribers.toLocaleString('en')} subscribers, ${options.days} days) in ${options.outDir}`,
  );
  await generateDemoOperator(options, context.progress);
  context.progress.stop();
  // Written last, so an interrupted generation is redone rather than half-loaded.
  writeFileSync(marker, wanted);
}

async function printHeadlines(context: CommandContext, warehouse: Warehouse): Promise<void> {
  const { runAnalysis } = await import('../../analysis/index.ts');
  const overview = await runAnalysis(warehouse, 'overview');
  context.print(`\n${overview.title.zh} / ${overview.title.en}  ${overview.from} – ${overview.to}`);
  for (const h of overview.headlines ?? []) context.print(headlineLine(h));
}
