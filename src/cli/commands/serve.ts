import type { Command } from 'commander';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { CommandContext } from '../context.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web dashboard (owns the warehouse while it runs)')
    .option('--port <port>', 'TCP port (default 8080, or TELMARK_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)')
    .option('--no-web-build', 'serve web/dist as it is, without building it when missing or stale')
    .action(async (options: { port?: string; host?: string; webBuild: boolean }) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        throw new AppError('USAGE', `--port must be an integer between 0 and 65535, not "${options.port}"`);
      }
      const { makeContext } = await import('../context.ts');
      const { startServer } = await import('../../api/start-server.ts');
      const { announceOwner, Warehouse } = await import('../../warehouse/index.ts');
      const { defaultWebRoot } = await import('../../api/server.ts');
      const { ensureWebBuilt } = await import('../ensure-web-built.ts');
      const context = makeContext(program.opts());
      // A fresh clone has no dashboard yet: build it (as `demo` does) rather than serve nothing.
      if (options.webBuild) await ensureWebBuilt({ webRoot: defaultWebRoot, note: context.note });
      // With a ClickHouse warehouse the facts are read there and the file keeps only the operational
      // state: users, sessions, audit, campaigns, outbox, alerts (docs/scale-out.md).
      const { openFactsLoaded } = await import('../lazy-context.ts');
      const facts = await openFactsLoaded(context.config.warehouse);
      const warehouse = await Warehouse.open(context.config.db, {
        threads: context.config.threads,
        memoryLimit: context.config.memoryLimit,
      });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        await prepareAccess(context, warehouse);
        server = await startServer({
          warehouse,
          ...(facts ? { facts } : {}),
          host: options.host ?? context.config.http.host,
          port: port ?? context.config.http.port,
          logLevel: context.config.logLevel,
          channels: context.config.channels,
          ...serverAccess(context),
        });
      } catch (error) {
        warehouse.close();
        throw error;
      }
      const release = announceOwner(context.config.db, { role: 'telmark serve', url: server.url });
      if (facts) context.note(`telmark: facts from ${context.config.warehouse}, state in ${context.config.db}`);
      context.note(`telmark: serving ${context.config.db} at ${server.url} (API docs at ${server.url}/api/docs)`);
      if (server.insecure)
        context.note(
          'telmark: warning: listening beyond loopback without HTTPS; set http.tlsKey and http.tlsCert (TELMARK_TLS_KEY, TELMARK_TLS_CERT)',
        );
      if (!server.servesWeb) context.note('telmark: serving the API only: the web dashboard is not built');
      // Alerts need no command run: new anomalies are routed, replies acknowledge, repeats fall due.
      const { startAlertTimer } = await import('../../alerts/index.ts');
      const everySec = context.config.alerts.routeEverySec;
      const alertTimer =
        everySec > 0
          ? startAlertTimer(warehouse, {
              clock: systemClock,
              everyMs: everySec * 1000,
              ackWords: context.config.alerts.ackWords,
              channels: context.config.channels,
              ackUrl: `${server.url}/api/alerts/ack-link`,
              onError: (error) =>
                context.note(
                  `telmark: alert routing failed (tried again in ${everySec} s): ${(error as Error).message}`,
                ),
            })
          : undefined;
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void (alertTimer?.stop() ?? Promise.resolve())
            .then(() => server.close())
            .then(() => {
              warehouse.close();
              release();
              resolveStop();
            });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** The first admin (password printed once) and the token that commands beside the warehouse forward with. */
export async function prepareAccess(context: CommandContext, warehouse: Warehouse): Promise<void> {
  const { ensureFirstAdmin } = await import('../../access/index.ts');
  const { ensureLocalToken } = await import('../local-token.ts');
  const admin = await ensureFirstAdmin(warehouse, systemClock);
  if (admin) {
    context.print(
      `\nNo users yet: created "${admin.username}" (${admin.roles.join(', ')}) with the password (shown once):\n  ${admin.password}\n`,
    );
  }
  await ensureLocalToken(warehouse, systemClock, context.config.db);
}

/** HTTPS and the access settings of the configuration, as startServer takes them. */
export function serverAccess(context: CommandContext) {
  const { tlsKey, tlsCert, allowedHosts, corsOrigins } = context.config.http;
  if ((tlsKey === undefined) !== (tlsCert === undefined))
    throw new AppError('CONFIG_INVALID', 'http.tlsKey and http.tlsCert go together', {
      location: { field: tlsKey === undefined ? 'http.tlsKey' : 'http.tlsCert' },
      hint: 'give both PEM files, or neither for plain HTTP',
    });
  return {
    access: { allowedHosts, corsOrigins },
    ...(tlsKey && tlsCert ? { tls: { keyFile: tlsKey, certFile: tlsCert } } : {}),
  };
}
