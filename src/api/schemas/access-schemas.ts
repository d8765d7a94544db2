// The answers of the session, user, token and audit routes, defined once: each route declares its
// schema as the `response` (fastify serialises with it and sends no field it does not name, and the
// type provider checks the handler's result against it at compile time), and the dashboard takes the
// TypeScript type from here (`import type`, nothing at run time).
import type { FromSchema } from 'json-schema-to-ts';

const stringList = { type: 'array', items: { type: 'string' } } as const;

export const sessionAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'roles', 'rights', 'csrfToken'],
  properties: {
    user: { type: 'string' },
    roles: stringList,
    rights: stringList,
    /** Null for a caller with a token (no cookie, so no CSRF). */
    csrfToken: { type: ['string', 'null'] },
  },
} as const;

export const accountSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'username', 'roles', 'disabled', 'createdAt', 'passwordChangedAt'],
  properties: {
    userId: { type: 'integer' },
    username: { type: 'string' },
    roles: stringList,
    disabled: { type: 'boolean' },
    createdAt: { type: 'string' },
    passwordChangedAt: { type: 'string' },
  },
} as const;

export const usersAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['users'],
  properties: { users: { type: 'array', items: accountSchema } },
} as const;

/** A new user and its generated password, shown once. */
export const createdUserAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'password'],
  properties: { user: accountSchema, password: { type: 'string' } },
} as const;

export const apiTokenSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId', 'username', 'roles', 'createdAt', 'expiresAt', 'revokedAt', 'note'],
  properties: {
    tokenId: { type: 'string' },
    username: { type: 'string' },
    roles: stringList,
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
  },
} as const;

export const tokensAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tokens'],
  properties: { tokens: { type: 'array', items: apiTokenSchema } },
} as const;

export const auditAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chain', 'rows'],
  properties: {
    chain: {
      type: 'object',
      additionalProperties: false,
      required: ['ok', 'rows'],
      properties: {
        ok: { type: 'boolean' },
        rows: { type: 'integer' },
        brokenAt: { type: 'integer' },
        reason: { type: 'string' },
      },
    },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'seq',
          'recorded_at',
          'actor',
          'address',
          'action',
          'target',
          'outcome',
          'detail',
          'prev_hash',
          'hash',
        ],
        properties: {
          seq: { type: 'integer' },
          recorded_at: { type: 'string' },
          actor: { type: 'string' },
          address: { type: 'string' },
          action: { type: 'string' },
          target: { type: 'string' },
          outcome: { type: 'string' },
          detail: { type: 'string' },
          prev_hash: { type: 'string' },
          hash: { type: 'string' },
        },
      },
    },
  },
} as const;

export type SessionAnswer = FromSchema<typeof sessionAnswerSchema>;
export type AccountAnswer = FromSchema<typeof accountSchema>;
export type UsersAnswer = FromSchema<typeof usersAnswerSchema>;
export type CreatedUserAnswer = FromSchema<typeof createdUserAnswerSchema>;
export type ApiTokenAnswer = FromSchema<typeof apiTokenSchema>;
export type TokensAnswer = FromSchema<typeof tokensAnswerSchema>;
export type AuditAnswer = FromSchema<typeof auditAnswerSchema>;
