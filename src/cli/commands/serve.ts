import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';

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
      const { announceOwner } = await import('../../warehouse/index.ts');
      const { defaultWebRoot } = await import('../../api/server.ts');
      const { ensureWebBuilt } = await import('../ensure-web-built.ts');
      const context = makeContext(program.opts());
      // A fresh clone has no dashboard yet: build it (as `demo` does) rather than serve nothing.
      if (options.webBuild) await ensureWebBuilt({ webRoot: defaultWebRoot, note: context.note });
      const server = await startServer({
        db: context.config.db,
        host: options.host ?? context.config.http.host,
        port: port ?? context.config.http.port,
        logLevel: context.config.logLevel,
        threads: context.config.threads,
        memoryLimit: context.config.memoryLimit,
      });
      const release = announceOwner(context.config.db, { role: 'telmark serve', url: server.url });
      context.note(`telmark: serving ${context.config.db} at ${server.url} (API docs at ${server.url}/api/docs)`);
      if (!server.servesWeb) context.note('telmark: serving the API only: the web dashboard is not built');
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(() => {
            release();
            resolveStop();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
