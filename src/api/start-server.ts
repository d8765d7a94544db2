// Opens the warehouse, builds the server and listens: what `telmark serve` and `telmark demo` call.
// The process then owns the warehouse file until close() (DuckDB allows one process per file).
import { existsSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import { Warehouse } from '../warehouse/index.ts';
import type { AccessOptions } from './access-plugin.ts';
import { type BuildServerOptions, buildServer, defaultWebRoot } from './server.ts';

export interface StartServerOptions {
  /** Warehouse file to open; ignored when `warehouse` is given. */
  db?: string;
  warehouse?: Warehouse;
  /** The facts on a ClickHouse cluster (the file keeps the operational state); default: the file. */
  facts?: ClickHouseWarehouse;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  logLevel?: BuildServerOptions['logLevel'];
  webRoot?: string | null;
  clock?: Clock;
  threads?: number;
  memoryLimit?: string;
  /** Access settings; the host it listens on is added to the allowed Host names. */
  access?: AccessOptions;
  /** Where log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** PEM files of a TLS key and certificate: serve HTTPS. */
  tls?: { keyFile: string; certFile: string };
  /** The channels' settings from the configuration (campaign routes queue messages with them). */
  channels?: BuildServerOptions['channels'];
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Whether the built dashboard is being served (false: run `npm run build:web`). */
  servesWeb: boolean;
  /** Listening beyond loopback without HTTPS: passwords and data cross the network in clear. */
  insecure: boolean;
  close(): Promise<void>;
}

const loopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** The names a browser may use for this server: the listening address, and every address when that is a wildcard. */
function listeningHostNames(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return [hostname(), ...addresses, ...addresses.filter((a) => a.includes(':')).map((a) => `[${a}]`)];
}

function readTls(tls: NonNullable<StartServerOptions['tls']>): { key: Buffer; cert: Buffer } {
  const read = (file: string, field: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new AppError('CONFIG_INVALID', `cannot read ${field}: ${(error as Error).message}`, {
        location: { file, field },
        hint: 'http.tlsKey and http.tlsCert name PEM files',
      });
    }
  };
  return { key: read(tls.keyFile, 'http.tlsKey'), cert: read(tls.certFile, 'http.tlsCert') };
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const https = options.tls ? readTls(options.tls) : undefined;
  const ownsWarehouse = options.warehouse === undefined;
  const warehouse =
    options.warehouse ??
    (await Warehouse.open(options.db ?? 'telmark.duckdb', {
      threads: options.threads,
      memoryLimit: options.memoryLimit,
    }));
  try {
    const webRoot = options.webRoot === undefined ? defaultWebRoot : options.webRoot;
    const host = options.host ?? '127.0.0.1';
    const app = await buildServer({
      warehouse,
      ...(options.facts ? { facts: options.facts } : {}),
      clock: options.clock,
      logLevel: options.logLevel ?? 'info',
      webRoot,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(https ? { https } : {}),
      ...(options.channels ? { channels: options.channels } : {}),
      access: {
        ...options.access,
        allowedHosts: [...(options.access?.allowedHosts ?? []), ...listeningHostNames(host)],
      },
    });
    await app.listen({ host, port: options.port ?? 8080 });
    const insecure = !https && !loopback(host);
    if (insecure)
      app.log.warn(
        { host },
        'listening beyond loopback without HTTPS: set http.tlsKey and http.tlsCert, or put a TLS proxy in front',
      );
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    return {
      app,
      url: `${https ? 'https' : 'http'}://${shownHost}:${port}`,
      servesWeb: webRoot !== null && existsSync(join(webRoot, 'index.html')),
      insecure,
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
