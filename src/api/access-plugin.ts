// Access control for every route, in one place: the Host allow-list, who is asking (API token, session
// cookie), the right each route declares (`config.right`; a route without one stops the server from
// starting), CSRF for cookie sessions, masking of phone numbers in answers, an audit row for every
// state-changing request and every customer lookup, secure headers, rate limits and CORS (only when
// configured). buildServer calls installAccess once, before any route module is registered.
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import {
  AuditWriter,
  defaultSessionLimits,
  defaultThrottleLimits,
  makePrincipal,
  maskMsisdnJson,
  maskMsisdnText,
  type Principal,
  resolveApiToken,
  resumeSession,
  type Role,
  rights,
  type SessionLimits,
  sameText,
  type ThrottleLimits,
  TokenCheckCache,
} from '../access/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { sessionCookie, sessionRoutes } from './routes/session-routes.ts';

/** One row of the route table: what each route needs (tests walk it so that no route is forgotten). */
export interface RouteRight {
  method: string;
  url: string;
  right: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeRights: RouteRight[];
  }
  interface FastifyRequest {
    /** Who is asking; null for anonymous requests to public routes. */
    principal: Principal | null;
    /** What a route adds to its audit row (e.g. the roles granted); the plugin writes the row. */
    auditDetail: Record<string, unknown> | null;
  }
}

export interface AccessOptions {
  /** Host names (without port) the server answers to; default: localhost, 127.0.0.1 and ::1. */
  allowedHosts?: readonly string[];
  /** Origins allowed to call the API from a browser (CORS); none unless configured. */
  corsOrigins?: readonly string[];
  sessionLimits?: SessionLimits;
  throttleLimits?: ThrottleLimits;
  /** Largest accepted request body (default 256 KiB). */
  bodyLimitBytes?: number;
  /** The server speaks HTTPS: cookies are Secure and browsers are told to stay on HTTPS. */
  secure?: boolean;
  /** Tests only: a request without credentials acts as this user. `telmark serve` never sets it. */
  actAs?: { username: string; roles: readonly Role[] };
}

export interface AccessContext {
  warehouse: Warehouse;
  clock: Clock;
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const knownRights = new Set<string>(rights);
export const defaultAllowedHosts = ['localhost', '127.0.0.1', '::1', '[::1]'];

/**
 * Routes that need no right because they carry no data: the OpenAPI document and its viewer, the
 * dashboard's static files (the pages ask the API, which checks), and CORS preflight answers.
 */
function isExemptFromRights(route: RouteOptions): boolean {
  if (route.method === 'OPTIONS' && route.url === '*') return true; // CORS preflights, when configured
  return route.url.startsWith('/api/docs') || route.url === '/*';
}

export async function installAccess(
  app: FastifyInstance,
  context: AccessContext,
  options: AccessOptions = {},
): Promise<void> {
  const { clock } = context;
  // Audit rows are written before the answer leaves, and close() waits for any still being written.
  const pending = new Set<Promise<unknown>>();
  // A connection of its own, so that checking a session never waits behind a long query of a route.
  const warehouse = await context.warehouse.connectAnother();
  // Who is asking is looked up on yet another connection: on the first, every request's token or session
  // check queued behind the audit commit in progress (a commit waits for the disk), which made each
  // audited route (every customer view) as slow as the commits.
  const lookups = await context.warehouse.connectAnother();
  // Audit rows of requests go through an appender on a connection of its own (audit-writer.ts).
  const audit = await AuditWriter.open(context.warehouse);
  // A script sends its token with every request: its check is kept a few seconds, and forgotten at once
  // when a token is revoked or a user disabled or given other roles (token-check-cache.ts).
  const tokenChecks = new TokenCheckCache(clock);
  // The same for the session cookie of the dashboard's pages (the agent page asks for every profile).
  const sessionChecks = new TokenCheckCache(clock);
  app.addHook('onClose', async () => {
    await Promise.allSettled([...pending]);
    audit.close();
    warehouse.close();
    lookups.close();
  });
  const allowedHosts = new Set([...defaultAllowedHosts, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()));
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const bodyLimit = options.bodyLimitBytes ?? 256 * 1024;
  const sessionLimits = options.sessionLimits ?? defaultSessionLimits;
  const testUser = options.actAs
    ? makePrincipal({ userId: 0, username: options.actAs.username, roles: options.actAs.roles }, 'test')
    : null;

  const routeTable: RouteRight[] = [];
  app.decorate('routeRights', routeTable);
  app.decorateRequest('principal', null);
  app.decorateRequest('auditDetail', null);

  app.addHook('onRoute', (route) => {
    route.config ??= {};
    const config = route.config as { right?: string; rateLimit?: unknown };
    if (config.right === undefined && isExemptFromRights(route)) config.right = 'public';
    if (config.right === undefined || !knownRights.has(config.right)) {
      throw new AppError(
        'CONFIG_INVALID',
        `route ${String(route.method)} ${route.url} declares ${config.right === undefined ? 'no right' : `an unknown right "${config.right}"`}`,
        { hint: "add `config: { right: '…' }` from src/access/rights.ts to the route's options" },
      );
    }
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, right: config.right });
    route.bodyLimit ??= bodyLimit;
    // Training runs minutes of CPU: a few per minute per address is plenty.
    if (config.right === 'mining.train' && config.rateLimit === undefined)
      config.rateLimit = { max: 6, timeWindow: '1 minute' };
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, limit) =>
      new AppError('TOO_MANY_REQUESTS', `too many requests: at most ${limit.max} in ${limit.after}`, {
        hint: `try again in ${limit.after}`,
      }),
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'upgrade-insecure-requests': options.secure ? [] : null,
      },
    },
    hsts: options.secure ? { maxAge: 15_552_000 } : false,
  });
  if (corsOrigins.size > 0) {
    await app.register(cors, {
      origin: [...corsOrigins],
      credentials: true,
      allowedHeaders: ['content-type', 'authorization', 'x-csrf-token'],
    });
  }

  async function identify(request: FastifyRequest): Promise<{ principal: Principal | null; problem?: AppError }> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const principal = bearer ? await resolveApiToken(lookups, clock, bearer, tokenChecks) : undefined;
      if (principal) return { principal };
      return {
        principal: null,
        problem: new AppError('AUTH_REQUIRED', 'the API token is unknown, expired or revoked', {
          hint: '`telmark token create --user NAME` makes a new one; send it as `Authorization: Bearer …`',
        }),
      };
    }
    const sessionId = request.cookies[sessionCookie];
    if (sessionId) {
      const principal = await resumeSession(lookups, clock, sessionId, sessionLimits, sessionChecks);
      if (principal) return { principal };
      return {
        principal: null,
        problem: new AppError('AUTH_REQUIRED', 'your session has ended', { hint: 'sign in again: POST /api/session' }),
      };
    }
    return {
      principal: testUser,
      problem: new AppError('AUTH_REQUIRED', 'sign in first', {
        hint: 'POST /api/session with {"username","password"}, or send `Authorization: Bearer <token>`',
      }),
    };
  }

  app.addHook('onRequest', async (request) => {
    const host = request.hostname.toLowerCase();
    if (!allowedHosts.has(host))
      throw new AppError('FORBIDDEN', `this server does not answer to the host name "${host}"`, {
        hint: 'add it to http.allowedHosts in telmark.config.json (TELMARK_ALLOWED_HOSTS)',
      });
    const right = request.routeOptions.config?.right;
    if (right === undefined) return; // no such route: the 404 handler answers
    if (right === 'public' && !request.url.startsWith('/api/')) return; // dashboard files
    const changes = stateChanging.has(request.method);
    const { principal, problem } = await identify(request);
    request.principal = principal;
    if (changes) checkOrigin(request, corsOrigins);
    if (right === 'public') {
      // The login itself carries no CSRF token yet; its Origin check and SameSite=Strict guard it.
      const signingIn = request.method === 'POST' && request.routeOptions.url === '/api/session';
      if (changes && principal?.via === 'session' && !signingIn) checkCsrf(request, principal);
      return;
    }
    if (!principal) throw problem;
    if (!principal.rights.has(right))
      throw new AppError(
        'FORBIDDEN',
        `${principal.username} (${principal.roles.join(', ') || 'no role'}) lacks the right "${right}"`,
        {
          hint: 'an administrator can grant a role with this right: `telmark user roles NAME ROLE[,ROLE]`',
        },
      );
    if (changes && principal.via === 'session') checkCsrf(request, principal);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const right = request.routeOptions.config?.right;
    if (right !== undefined && right !== 'public' && request.principal && isAudited(request, reply)) {
      const write = audit.append(clock, {
        actor: request.principal.username,
        address: request.ip,
        action: `${request.method} ${request.routeOptions.url}`,
        target: describeParams(request.params),
        outcome: String(reply.statusCode),
        detail: { via: request.principal.via, ...request.auditDetail },
      });
      pending.add(write);
      await write.finally(() => pending.delete(write));
    }
    return maskPayload(request, reply, payload);
  });

  await app.register(
    sessionRoutes({
      warehouse,
      clock,
      sessionLimits,
      throttleLimits: options.throttleLimits ?? defaultThrottleLimits,
      secure: options.secure ?? false,
    }),
  );
}

/** A state-changing request from a browser page of another origin is refused, whatever it carries. */
function checkOrigin(request: FastifyRequest, corsOrigins: ReadonlySet<string>): void {
  const origin = request.headers.origin;
  if (origin === undefined || corsOrigins.has(origin)) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    originHost = '';
  }
  if (originHost !== request.host.toLowerCase())
    throw new AppError('FORBIDDEN', `a request from the page of another origin (${origin}) is refused`, {
      hint: 'call the API from the dashboard itself, or list the origin in http.corsOrigins',
    });
}

function checkCsrf(request: FastifyRequest, principal: Principal): void {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !principal.csrfToken || !sameText(sent, principal.csrfToken))
    throw new AppError('FORBIDDEN', 'missing or wrong x-csrf-token header', {
      hint: 'send the csrfToken of GET /api/session in the x-csrf-token header (not needed with a bearer token)',
    });
}

/** Changes, customer look-ups (profile views) and exports are audited; reads of aggregates are not. */
function isAudited(request: FastifyRequest, reply: FastifyReply): boolean {
  if (stateChanging.has(request.method)) return true;
  if (request.routeOptions.config?.right === 'customer.view') return true;
  return String(reply.getHeader('content-type') ?? '').includes('text/csv');
}

function describeParams(params: unknown): string {
  if (params === null || typeof params !== 'object' || Object.keys(params).length === 0) return '';
  return Object.entries(params as Record<string, unknown>)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/**
 * Masks phone numbers in API answers for callers without `msisdn.unmasked`. An agent looking up one
 * customer by exact number (a `customer.view` route with that number in its path) sees that number.
 */
function maskPayload(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (!request.url.startsWith('/api/') || request.principal?.rights.has('msisdn.unmasked')) return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const type = String(reply.getHeader('content-type') ?? '');
  const keep =
    request.routeOptions.config?.right === 'customer.view'
      ? (request.params as { msisdn?: unknown } | undefined)?.msisdn
      : undefined;
  const kept = typeof keep === 'string' ? keep : undefined;
  const text = payload.toString();
  if (type.includes('json')) return maskMsisdnJson(text, kept);
  if (type.startsWith('text/plain') || type.startsWith('text/csv')) return maskMsisdnText(text, kept);
  return payload;
}
