// API tokens for scripts and machines (`Authorization: Bearer tmk_<id>_<secret>`): shown once, stored
// hashed, each with an expiry and roles no wider than its user's (checked again on every use, so taking a
// role from a user takes it from the user's tokens too).
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { findAccount } from './accounts.ts';
import { makePrincipal, type Principal } from './principal.ts';
import { isRole, type Role } from './roles.ts';
import { hashSecret, newSecret, newTokenId } from './secret-token.ts';
import { forgetTokenChecks, TokenCheckCache } from './token-check-cache.ts';

export interface ApiTokenInfo {
  tokenId: string;
  username: string;
  roles: Role[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  note: string | null;
}

const dayMs = 86_400_000;

/** `90d`, `12h`, `30m` → milliseconds. */
export function parseDuration(text: string, field = 'expires'): number {
  const match = /^(\d+)\s*([dhm])$/.exec(text.trim());
  const amount = match ? Number(match[1]) : Number.NaN;
  if (!match || !(amount > 0))
    throw new AppError('USAGE', `${field}: "${text}" is not a duration`, { hint: 'e.g. 90d, 12h or 30m' });
  return amount * (match[2] === 'd' ? dayMs : match[2] === 'h' ? 3_600_000 : 60_000);
}

export async function createApiToken(
  warehouse: Warehouse,
  clock: Clock,
  input: { username: string; roles?: readonly Role[]; lifetimeMs?: number; note?: string },
): Promise<{ token: string; info: ApiTokenInfo }> {
  const account = await findAccount(warehouse, input.username);
  if (!account) throw new AppError('NOT_FOUND', `no user "${input.username}"`, { hint: '`telmark user list`' });
  if (account.disabled) throw new AppError('INPUT_INVALID', `user "${input.username}" is disabled`);
  const roles = input.roles ?? account.roles;
  const beyond = roles.filter((r) => !account.roles.includes(r));
  if (beyond.length > 0)
    throw new AppError('INPUT_INVALID', `user "${input.username}" does not hold ${beyond.join(', ')}`, {
      location: { field: 'role' },
      hint: `a token carries some of its user's roles: ${account.roles.join(', ')}`,
    });
  const tokenId = newTokenId();
  const token = `tmk_${tokenId}_${newSecret()}`;
  const now = clock.nowMs();
  const expires = now + (input.lifetimeMs ?? 90 * dayMs);
  await warehouse.run(
    `INSERT INTO api_tokens (token_id, token_hash, user_id, roles, created_ms, expires_ms, revoked_ms, note)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    [tokenId, hashSecret(token), account.userId, roles.join(','), now, expires, input.note ?? null],
  );
  return {
    token,
    info: {
      tokenId,
      username: account.username,
      roles: [...roles],
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(expires).toISOString(),
      revokedAt: null,
      note: input.note ?? null,
    },
  };
}

export async function revokeApiToken(warehouse: Warehouse, clock: Clock, tokenId: string): Promise<void> {
  const found = await warehouse.scalar('SELECT count(*) FROM api_tokens WHERE token_id = ?', [tokenId]);
  if (found === 0)
    throw new AppError('NOT_FOUND', `no token "${tokenId}"`, { hint: '`telmark token list` shows the tokens' });
  await warehouse.run('UPDATE api_tokens SET revoked_ms = ? WHERE token_id = ? AND revoked_ms IS NULL', [
    clock.nowMs(),
    tokenId,
  ]);
  forgetTokenChecks();
}

export async function listApiTokens(warehouse: Warehouse): Promise<ApiTokenInfo[]> {
  const rows = await warehouse.all<{
    token_id: string;
    username: string;
    roles: string;
    created_ms: number;
    expires_ms: number;
    revoked_ms: number | null;
    note: string | null;
  }>(
    `SELECT t.token_id, u.username, t.roles, t.created_ms, t.expires_ms, t.revoked_ms, t.note
     FROM api_tokens t JOIN users u USING (user_id) ORDER BY t.created_ms`,
  );
  return rows.map((r) => ({
    tokenId: r.token_id,
    username: r.username,
    roles: r.roles.split(',').filter(isRole),
    createdAt: new Date(r.created_ms).toISOString(),
    expiresAt: new Date(r.expires_ms).toISOString(),
    revokedAt: r.revoked_ms === null ? null : new Date(r.revoked_ms).toISOString(),
    note: r.note,
  }));
}

/** The token's principal, or undefined when unknown, expired, revoked or its user disabled. */
export async function resolveApiToken(
  warehouse: Warehouse,
  clock: Clock,
  token: string,
  /** Keeps valid answers for a few seconds (the API); without it every call reads the warehouse. */
  cache?: TokenCheckCache,
): Promise<Principal | undefined> {
  if (!token.startsWith('tmk_')) return undefined;
  const tokenHash = hashSecret(token);
  const kept = cache?.get(tokenHash);
  if (kept) return kept;
  const generationAtRead = TokenCheckCache.generation();
  // One query for token and user: this runs on every request (prepared once per connection) a script makes.
  const [row] = await warehouse.allPrepared<{
    user_id: number;
    username: string;
    token_roles: string;
    user_roles: string;
    disabled: boolean;
    expires_ms: number;
    revoked_ms: number | null;
  }>(
    `SELECT t.user_id, u.username, t.roles AS token_roles, u.roles AS user_roles, u.disabled, t.expires_ms, t.revoked_ms
     FROM api_tokens t JOIN users u USING (user_id) WHERE t.token_hash = ?`,
    [tokenHash],
  );
  if (!row || row.disabled || row.revoked_ms !== null || clock.nowMs() >= row.expires_ms) return undefined;
  const held = row.user_roles.split(',');
  const roles = row.token_roles.split(',').filter((r): r is Role => isRole(r) && held.includes(r));
  const principal = makePrincipal({ userId: row.user_id, username: row.username, roles }, 'token');
  cache?.set(tokenHash, principal, Number(row.expires_ms), generationAtRead);
  return principal;
}
