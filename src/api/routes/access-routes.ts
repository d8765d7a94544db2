// User administration and the audit log over HTTP (admins): users, roles, tokens, and the log with its
// chain check. Every change here is audited by the access plugin (a state-changing route), with the
// roles granted in the row's detail.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import {
  createAccount,
  createApiToken,
  listAccounts,
  listApiTokens,
  listAudit,
  newPassword,
  parseDuration,
  parseRoles,
  revokeApiToken,
  roleRights,
  roles,
  setDisabled,
  setRoles,
  verifyAuditChain,
} from '../../access/index.ts';
import {
  auditAnswerSchema,
  createdUserAnswerSchema,
  tokensAnswerSchema,
  usersAnswerSchema,
} from '../schemas/access-schemas.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['access'];
const userName = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', maxLength: 64 } },
} as const;
const roleList = { type: 'array', minItems: 1, items: { type: 'string', enum: [...roles] } } as const;

export async function accessRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  // request types come from the JSON schemas below: one definition for the check and the type
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  const { warehouse, clock } = deps;

  app.get(
    '/api/access/roles',
    { config: { right: 'users.admin' }, schema: { tags, summary: 'the roles and the rights each grants' } },
    async () => ({ roles: roles.map((role) => ({ role, rights: roleRights[role] })) }),
  );

  app.get(
    '/api/access/users',
    {
      config: { right: 'users.admin' },
      schema: { tags, summary: 'the users with their roles and state', response: { 200: usersAnswerSchema } },
    },
    async () => ({ users: await listAccounts(warehouse) }),
  );

  app.post(
    '/api/access/users',
    {
      config: { right: 'users.admin' },
      schema: {
        tags,
        summary: 'add a user; the generated password is in the answer, once',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'roles'],
          properties: { username: { type: 'string', maxLength: 64 }, roles: roleList },
        },
        response: { 200: createdUserAnswerSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const granted = parseRoles(body.roles.join(','), 'roles');
      const password = newPassword();
      const account = await createAccount(warehouse, clock, { username: body.username, password, roles: granted });
      request.auditDetail = { user: body.username, roles: granted };
      return { user: account, password };
    },
  );

  app.put(
    '/api/access/users/:name/roles',
    {
      config: { right: 'users.admin' },
      schema: {
        tags,
        summary: "replace a user's roles",
        params: userName,
        body: { type: 'object', additionalProperties: false, required: ['roles'], properties: { roles: roleList } },
      },
    },
    async (request) => {
      const { name } = request.params;
      const granted = parseRoles(request.body.roles.join(','), 'roles');
      request.auditDetail = { roles: granted };
      return { user: await setRoles(warehouse, name, granted) };
    },
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/access/users/:name/${verb}`,
      { config: { right: 'users.admin' }, schema: { tags, summary: `${verb} a user`, params: userName } },
      async (request) => ({
        user: await setDisabled(warehouse, request.params.name, disabled),
      }),
    );
  }

  app.get(
    '/api/access/tokens',
    {
      config: { right: 'users.admin' },
      schema: { tags, summary: 'API tokens (never their secrets)', response: { 200: tokensAnswerSchema } },
    },
    async () => ({ tokens: await listApiTokens(warehouse) }),
  );

  app.post(
    '/api/access/tokens',
    {
      config: { right: 'users.admin' },
      schema: {
        tags,
        summary: 'create a token for a user; the token is in the answer, once',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['user'],
          properties: {
            user: { type: 'string', maxLength: 64 },
            expires: { type: 'string', default: '90d', maxLength: 10 },
            roles: roleList,
            note: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request) => {
      const body = request.body;
      const made = await createApiToken(warehouse, clock, {
        username: body.user,
        lifetimeMs: parseDuration(body.expires),
        ...(body.roles ? { roles: parseRoles(body.roles.join(','), 'roles') } : {}),
        ...(body.note ? { note: body.note } : {}),
      });
      request.auditDetail = { token: made.info.tokenId, user: body.user, roles: made.info.roles };
      return made;
    },
  );

  app.delete(
    '/api/access/tokens/:id',
    {
      config: { right: 'users.admin' },
      schema: {
        tags,
        summary: 'revoke a token',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } },
      },
    },
    async (request, reply) => {
      await revokeApiToken(warehouse, clock, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/audit',
    {
      config: { right: 'audit.read' },
      schema: {
        tags,
        summary: 'the audit log, newest first, with the check of its hash chain',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            actor: { type: 'string', maxLength: 100 },
            action: { type: 'string', maxLength: 100 },
          },
        },
        response: { 200: auditAnswerSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return { chain: await verifyAuditChain(warehouse), rows: await listAudit(warehouse, q) };
    },
  );
}
