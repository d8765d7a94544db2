// Users, roles, sessions, API tokens, masking and the audit log.
export * from './accounts.ts';
export * from './api-tokens.ts';
export * from './audit-log.ts';
export * from './login-throttle.ts';
export * from './mask-msisdn.ts';
export * from './password-hash.ts';
export * from './principal.ts';
export * from './rights.ts';
export * from './roles.ts';
export * from './secret-token.ts';
export * from './sessions.ts';
export * from './token-check-cache.ts';
export * from './first-users.ts';
export * from './audit-writer.ts';
