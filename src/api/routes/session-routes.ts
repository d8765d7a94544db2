// The HTTP contract for signing in and out (scripts rely on it): POST /api/session {username, password}
// → 200 with the session cookie, 401 on bad credentials, 429 when throttled; GET /api/session →
// {user, roles, rights, csrfToken}; DELETE /api/session signs out.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  appendAudit,
  checkLogin,
  closeSession,
  loginWaitMs,
  makePrincipal,
  openSession,
  type Principal,
  recordLoginAttempt,
  setPassword,
  type SessionLimits,
  type ThrottleLimits,
} from '../../access/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { sessionAnswerSchema } from '../schemas/access-schemas.ts';

export const sessionCookie = 'telmark_session';

export interface SessionRouteDeps {
  warehouse: Warehouse;
  clock: Clock;
  sessionLimits: SessionLimits;
  throttleLimits: ThrottleLimits;
  secure: boolean;
}

const tags = ['session'];

function describe(principal: Principal, csrfToken: string | null) {
  return {
    user: principal.username,
    roles: [...principal.roles],
    rights: [...principal.rights].sort(),
    csrfToken,
  };
}

export function sessionRoutes(deps: SessionRouteDeps) {
  const { warehouse, clock } = deps;
  const setCookie = (reply: FastifyReply, value: string, maxAgeSec: number) =>
    reply.setCookie(sessionCookie, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secure,
      maxAge: maxAgeSec,
    });

  return async function register(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
    app.post(
      '/api/session',
      {
        config: { right: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'sign in: sets the session cookie (HttpOnly, SameSite=Strict); 401 bad credentials, 429 throttled',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['username', 'password'],
            properties: { username: { type: 'string', maxLength: 100 }, password: { type: 'string', maxLength: 1000 } },
          },
          response: { 200: sessionAnswerSchema },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const address = request.ip;
        const waitMs = await loginWaitMs(warehouse, clock, { username, address }, deps.throttleLimits);
        if (waitMs > 0) {
          await appendAudit(warehouse, clock, { actor: username, address, action: 'login', outcome: 'throttled' });
          void reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
          throw new AppError('TOO_MANY_REQUESTS', 'too many failed sign-ins: wait before trying again', {
            hint: `try again in ${Math.ceil(waitMs / 60_000)} min, or ask an administrator to reset the password`,
          });
        }
        const account = await checkLogin(warehouse, username, password);
        await recordLoginAttempt(warehouse, clock, { username, address, ok: account !== undefined });
        await appendAudit(warehouse, clock, {
          actor: username,
          address,
          action: 'login',
          outcome: account ? 'ok' : 'failed',
        });
        if (!account)
          throw new AppError('AUTH_REQUIRED', 'wrong user name or password (or the user is disabled)', {
            hint: 'an administrator can reset it: `telmark user passwd NAME`',
          });
        const { sessionId, csrfToken } = await openSession(
          warehouse,
          clock,
          account.userId,
          address,
          deps.sessionLimits,
        );
        setCookie(reply, sessionId, Math.floor(deps.sessionLimits.absoluteMs / 1000));
        return describe(makePrincipal(account, 'session', csrfToken), csrfToken);
      },
    );

    app.get(
      '/api/session',
      {
        config: { right: 'public' },
        schema: {
          tags,
          summary: 'who is signed in: user, roles, rights and the CSRF token',
          response: { 200: sessionAnswerSchema },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (!principal) throw new AppError('AUTH_REQUIRED', 'not signed in', { hint: 'POST /api/session' });
        return describe(principal, principal.csrfToken ?? null);
      },
    );

    app.post(
      '/api/session/password',
      {
        config: { right: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'change your own password (every session of yours ends: sign in again)',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['currentPassword', 'newPassword'],
            properties: {
              currentPassword: { type: 'string', maxLength: 1000 },
              newPassword: { type: 'string', maxLength: 1000 },
            },
          },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (!principal || principal.via === 'test')
          throw new AppError('AUTH_REQUIRED', 'sign in first', { hint: 'POST /api/session' });
        const body = request.body;
        const ok = await checkLogin(warehouse, principal.username, body.currentPassword);
        await appendAudit(warehouse, clock, {
          actor: principal.username,
          address: request.ip,
          action: 'password.change',
          target: principal.username,
          outcome: ok ? 'ok' : 'failed',
        });
        if (!ok)
          throw new AppError('FORBIDDEN', 'the current password is wrong', { location: { field: 'currentPassword' } });
        await setPassword(warehouse, clock, principal.username, body.newPassword);
        return reply.status(204).send();
      },
    );

    app.delete(
      '/api/session',
      { config: { right: 'public' }, schema: { tags, summary: 'sign out: ends the session and clears its cookie' } },
      async (request, reply) => {
        const sessionId = request.cookies[sessionCookie];
        if (sessionId) await closeSession(warehouse, sessionId);
        if (request.principal)
          await appendAudit(warehouse, clock, {
            actor: request.principal.username,
            address: request.ip,
            action: 'logout',
          });
        void reply.clearCookie(sessionCookie, { path: '/' });
        return reply.status(204).send();
      },
    );
  };
}
