// The HTTP server: Fastify with JSON errors, JSON-schema validation on every input, the OpenAPI
// document at /api/docs, and the built web dashboard (web/dist) with a single-page-app fallback.
// Routes live in ./routes/, one module per domain, listed in ./routes/index.ts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { ChannelsConfig } from '../config/config.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { AppError, type ErrorCode, isAppError } from '../shared/errors.ts';
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { type AccessOptions, installAccess } from './access-plugin.ts';
import { ReaderPool } from './reader-pool.ts';
import { ResultCache } from './result-cache.ts';
import { routeModules } from './routes/index.ts';
import { serverLogger } from './server-logger.ts';

/** What every route module receives. Add optional members here as new domains need them. */
export interface RouteDeps {
  /** The DuckDB file: the operational state (users, audit, campaigns, outbox, alerts), and the facts unless `facts` is a cluster. */
  warehouse: Warehouse;
  /** Where the facts are read: `warehouse` itself, or the ClickHouse cluster (docs/scale-out.md, operational state). */
  facts: Warehouse | ClickHouseWarehouse;
  clock: Clock;
  /** Answers of the read-only KPI and analysis routes, until the data changes; null when disabled. */
  results: ResultCache | null;
  /** Extra connections the read-only routes compute on; null: they use `warehouse`. */
  readers: ReaderPool | null;
  /** The channels' settings (local time, contact policy) for routes that queue messages; default: defaultConfig's. */
  channels?: ChannelsConfig;
  /** Aborted when the server closes: long work on a worker (a model training) stops instead of being awaited. */
  closing?: AbortSignal;
}

export type RouteModule = (app: FastifyInstance, deps: RouteDeps) => Promise<void>;

export interface BuildServerOptions {
  warehouse: Warehouse;
  /** The facts on a ClickHouse cluster; the file then keeps only the operational state. Default: `warehouse`. */
  facts?: ClickHouseWarehouse;
  clock?: Clock;
  /** Pino log level; 'silent' (the default) for tests, 'info' for `telmark serve`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder of the built dashboard; defaults to web/dist of this checkout. null serves no web app. */
  webRoot?: string | null;
  /** Extra route modules (e.g. for tests), registered after the standard ones. */
  extraRoutes?: readonly RouteModule[];
  /** Keep KPI and analysis answers until the data version changes (default true). */
  cacheResults?: boolean;
  /** Reader connections for the KPI and analysis routes (default 2; 0 computes on `warehouse`). */
  readers?: number;
  /** Hosts, CORS, session limits, HTTPS cookies; tests may set `actAs` (see access-plugin.ts). */
  access?: AccessOptions;
  /** TLS key and certificate: the server speaks HTTPS. */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Where log lines go (default stdout); tests read them to check masking. */
  logStream?: NodeJS.WritableStream;
  /** The channels' settings from the configuration (campaign routes queue messages with them). */
  channels?: ChannelsConfig;
}

const here = dirname(fileURLToPath(import.meta.url));
export const defaultWebRoot = resolve(here, '../../web/dist');

/** The JSON body of every error response. */
export const errorResponseSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        location: { type: 'object', additionalProperties: true },
        hint: { type: 'string' },
        requestId: { type: 'string', description: 'quote it when reporting a problem: the server log has the details' },
      },
      required: ['code', 'message', 'requestId'],
    },
  },
  required: ['error'],
} as const;

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const logLevel = options.logLevel ?? 'silent';
  const serverOptions: FastifyServerOptions = {
    logger: serverLogger(logLevel, options.logStream),
    ...(options.https ? { https: options.https } : {}),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  };
  const app = Fastify(serverOptions);
  const facts = options.facts ?? options.warehouse;
  const closing = new AbortController();
  const deps: RouteDeps = {
    warehouse: options.warehouse,
    facts,
    clock: options.clock ?? systemClock,
    results: options.cacheResults === false ? null : new ResultCache(facts),
    // Readers are connections to the file: with the facts on a cluster, the cluster serves the reads.
    readers:
      facts === options.warehouse && (options.readers ?? 2) > 0
        ? await ReaderPool.open(options.warehouse, options.readers ?? 2)
        : null,
    ...(options.channels ? { channels: options.channels } : {}),
    closing: closing.signal,
  };

  app.addSchema(errorResponseSchema);
  // Handlers still running when the server closes (their client gone) keep using the warehouse:
  // close() waits for them, so whoever closes the warehouse next never pulls it from under a query.
  const running = new Set<object>();
  app.addHook('preHandler', async (request) => {
    refuseInfiniteNumbers(request);
    running.add(request);
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    running.delete(request);
    return payload;
  });
  // preClose, not onClose: plugins' onClose hooks run before this file's, and the access plugin's closes
  // the connection that records each answer in the audit. New requests are refused (503) from here on.
  app.addHook('preClose', async () => {
    // A training would hold the close for its whole run (tens of seconds); it answers 503 instead.
    closing.abort();
    for (let waited = 0; running.size > 0 && waited < 30_000; waited += 20) await sleep(20);
  });
  app.addHook('onClose', async () => {
    deps.readers?.close();
  });
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toHttpError(error);
    if (appError.httpStatus >= 500) {
      request.log.error({ err: error, code: appError.code, hint: appError.hint }, 'request failed');
    }
    void reply
      .status(appError.httpStatus)
      .header('x-request-id', request.id)
      .send({ error: { ...publicError(appError, request.id), requestId: request.id } });
  });
  await installAccess(app, deps, { ...options.access, secure: options.https !== undefined });
  // After the access check, so that a caller without the right hears that first.
  if (facts.engine === 'clickhouse') app.addHook('preHandler', refuseFileFacts);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Telmark API',
        description: 'Precision-marketing support for mobile operators: KPIs, analyses, mining, streaming.',
        version: '0.1.0',
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  for (const register of [...routeModules, ...(options.extraRoutes ?? [])]) {
    await app.register(async (scope) => register(scope, deps));
  }

  const webRoot = options.webRoot === undefined ? defaultWebRoot : options.webRoot;
  const hasWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: ['index.html'],
      // Vite names built assets by content hash: they never change, so browsers may keep them.
      setHeaders: (reply, path) => {
        if (/[\\/]assets[\\/]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/api' || request.method !== 'GET' || !hasWeb) {
      const error = new AppError('NOT_FOUND', `no route ${request.method} ${path}`, {
        location: { path },
        hint:
          hasWeb || path.startsWith('/api')
            ? 'see /api/docs for the routes'
            : 'run `npm run build:web` to build the dashboard',
      });
      void reply.status(404).send({ error: { ...error.toJSON(), requestId: request.id } });
      return;
    }
    // Single-page app: every other GET is a page of the dashboard.
    void reply.type('text/html').sendFile('index.html');
  });
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'duckdb-only': the route reads facts (detail, aggregates, scores) with DuckDB SQL. With the facts
     * on a ClickHouse cluster the file holds none, so the route refuses instead of answering from it.
     */
    facts?: 'duckdb-only';
  }
}

async function refuseFileFacts(request: FastifyRequest): Promise<void> {
  if (request.routeOptions.config?.facts !== 'duckdb-only') return;
  throw new AppError(
    'WAREHOUSE_UNSUPPORTED',
    `${request.method} ${request.routeOptions.url} does not run on the ClickHouse warehouse yet`,
    {
      location: { path: request.routeOptions.url ?? '' },
      hint: 'on ClickHouse the server answers the KPIs, the carried analyses and every state route; start `telmark serve` without --warehouse for the rest (docs/scale-out.md)',
    },
  );
}

/** Turns any error raised while handling a request into the AppError that is sent back. */
export function toHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const where = fastifyError.validationContext ?? 'request';
    const field = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : undefined;
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    return new AppError('INPUT_INVALID', `${where}: ${fastifyError.message}`, {
      location: { path: where, ...(field || missing ? { field: field || missing } : {}) },
      hint: 'see /api/docs for the accepted parameters',
    });
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return new AppError(clientErrorCodes[fastifyError.statusCode] ?? 'INPUT_INVALID', fastifyError.message);
  }
  return new AppError('INTERNAL', fastifyError.message || 'internal error', { cause: error });
}

/**
 * ajv coerces "1e400" to Infinity and then skips minimum and maximum for numbers that are not finite,
 * so an input that passed validation is checked once more here, for every route.
 */
function refuseInfiniteNumbers(request: FastifyRequest): void {
  for (const [where, input] of [
    ['querystring', request.query],
    ['params', request.params],
    ['body', request.body],
  ] as const) {
    const path = findInfinite(input);
    if (path !== undefined) {
      throw new AppError('INPUT_INVALID', `${where}: ${path || 'value'} must be a finite number`, {
        location: { path: where, ...(path ? { field: path } : {}) },
        hint: 'see /api/docs for the accepted parameters',
      });
    }
  }
}

function findInfinite(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || depth > 8) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = findInfinite(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Fastify's and plugins' client errors keep their status (403, 404, 413, 415), the rest are a 400. */
const clientErrorCodes: Readonly<Record<number, ErrorCode>> = {
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * What the client sees of an error. An internal failure (a 500) says only that it happened and under
 * which request id: its message may hold SQL, file paths or a stack, which go to the log instead.
 */
export function publicError(error: AppError, requestId: string): ReturnType<AppError['toJSON']> {
  if (error.httpStatus !== 500) return error.toJSON();
  return {
    code: 'INTERNAL',
    message: `internal error; the server log has the details under request id ${requestId}`,
    location: {},
  };
}
