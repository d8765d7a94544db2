// Opens the warehouse, builds the server and listens: what `telmark serve` and `telmark demo` call.
// The process then owns the warehouse file until close() (DuckDB allows one process per file).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import { Warehouse } from '../warehouse/index.ts';
import { type BuildServerOptions, buildServer, defaultWebRoot } from './server.ts';

export interface StartServerOptions {
  /** Warehouse file to open; ignored when `warehouse` is given. */
  db?: string;
  warehouse?: Warehouse;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logLevel?: BuildServerOptions['logLevel'];
  webRoot?: string | null;
  clock?: Clock;
  threads?: number;
  memoryLimit?: string;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Whether the built dashboard is being served (false: run `npm run build:web`). */
  servesWeb: boolean;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const ownsWarehouse = options.warehouse === undefined;
  const warehouse =
    options.warehouse ??
    (await Warehouse.open(options.db ?? 'telmark.duckdb', {
      threads: options.threads,
      memoryLimit: options.memoryLimit,
    }));
  try {
    const webRoot = options.webRoot === undefined ? defaultWebRoot : options.webRoot;
    const app = await buildServer({ warehouse, clock: options.clock, logLevel: options.logLevel ?? 'info', webRoot });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 8080 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    return {
      app,
      url: `http://${shownHost}:${port}`,
      servesWeb: webRoot !== null && existsSync(join(webRoot, 'index.html')),
      async close() {
        await app.close();
        if (ownsWarehouse) warehouse.close();
      },
    };
  } catch (error) {
    if (ownsWarehouse) warehouse.close();
    throw error;
  }
}
