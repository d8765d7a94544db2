import type { Command } from 'commander';
import { ensureFirstAdmin } from '../../access/index.ts';
import { startServer } from '../../api/start-server.ts';
import { systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { announceOwner, Warehouse } from '../../warehouse/index.ts';
import { type CommandContext, makeContext } from '../context.ts';
import { ensureLocalToken } from '../local-token.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web dashboard (owns the warehouse while it runs)')
    .option('--port <port>', 'TCP port (default 8080, or TELMARK_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)')
    .action(async (options: { port?: string; host?: string }) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        throw new AppError('USAGE', `--port must be an integer between 0 and 65535, not "${options.port}"`);
      }
      const context = makeContext(program.opts());
      const warehouse = await Warehouse.open(context.config.db, {
        threads: context.config.threads,
        memoryLimit: context.config.memoryLimit,
      });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        await prepareAccess(context, warehouse);
        server = await startServer({
          warehouse,
          host: options.host ?? context.config.http.host,
          port: port ?? context.config.http.port,
          logLevel: context.config.logLevel,
          ...serverAccess(context),
        });
      } catch (error) {
        warehouse.close();
        throw error;
      }
      const release = announceOwner(context.config.db, { role: 'telmark serve', url: server.url });
      context.note(`telmark: serving ${context.config.db} at ${server.url} (API docs at ${server.url}/api/docs)`);
      if (server.insecure)
        context.note(
          'telmark: warning: listening beyond loopback without HTTPS; set http.tlsKey and http.tlsCert (TELMARK_TLS_KEY, TELMARK_TLS_CERT)',
        );
      if (!server.servesWeb) context.note('telmark: the web dashboard is not built: run `npm run build:web` first');
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(() => {
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
