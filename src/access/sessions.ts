// Browser sessions: a random id in an HttpOnly cookie, stored only as its hash, with an idle and an
// absolute expiry, and a CSRF token the page sends back on every state-changing request.
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { makePrincipal, type Principal } from './principal.ts';
import { isRole } from './roles.ts';
import { hashSecret, newSecret } from './secret-token.ts';
import { forgetTokenChecks, TokenCheckCache } from './token-check-cache.ts';

export interface SessionLimits {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Signed out this long after signing in, however active. */
  absoluteMs: number;
}

export const defaultSessionLimits: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

export async function openSession(
  warehouse: Warehouse,
  clock: Clock,
  userId: number,
  address: string,
  limits: SessionLimits = defaultSessionLimits,
): Promise<{ sessionId: string; csrfToken: string }> {
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const now = clock.nowMs();
  // Sessions nobody will resume again are removed at each sign-in, so the table stays small.
  await warehouse.run('DELETE FROM sessions WHERE last_seen_ms < ? OR created_ms <= ?', [
    now - limits.idleMs,
    now - limits.absoluteMs,
  ]);
  await warehouse.run(
    `INSERT INTO sessions (session_hash, user_id, csrf_token, created_ms, last_seen_ms, address)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [hashSecret(sessionId), userId, csrfToken, now, now, address],
  );
  return { sessionId, csrfToken };
}

/** The session's user, or undefined when unknown, expired (then removed) or the user is disabled. */
export async function resumeSession(
  warehouse: Warehouse,
  clock: Clock,
  sessionId: string,
  limits: SessionLimits = defaultSessionLimits,
  /**
   * Keeps valid answers for a few seconds (the API: the agent page's every request carries its session),
   * never past the session's idle or absolute end; signing out, disabling a user, new roles or a new
   * password empty it at once. Without it every call reads the warehouse.
   */
  cache?: TokenCheckCache,
): Promise<Principal | undefined> {
  const key = hashSecret(sessionId);
  const kept = cache?.get(key);
  if (kept) return kept;
  const generationAtRead = TokenCheckCache.generation();
  // One query for session and user: this runs on every request (prepared once per connection) of a signed-in page.
  const [row] = await warehouse.allPrepared<{
    user_id: number;
    username: string;
    roles: string;
    disabled: boolean;
    csrf_token: string;
    created_ms: number;
    last_seen_ms: number;
  }>(
    `SELECT s.user_id, u.username, u.roles, u.disabled, s.csrf_token, s.created_ms, s.last_seen_ms
     FROM sessions s JOIN users u USING (user_id) WHERE s.session_hash = ?`,
    [key],
  );
  if (!row || row.disabled) return undefined;
  const now = clock.nowMs();
  if (now - row.last_seen_ms > limits.idleMs || now - row.created_ms >= limits.absoluteMs) {
    await warehouse.run('DELETE FROM sessions WHERE session_hash = ?', [key]);
    return undefined;
  }
  // Written at most once a minute: a page's burst of requests costs one update, not one each.
  let lastSeenMs = Number(row.last_seen_ms);
  if (now - lastSeenMs > 60_000) {
    await warehouse.run('UPDATE sessions SET last_seen_ms = ? WHERE session_hash = ?', [now, key]);
    lastSeenMs = now;
  }
  const roles = row.roles.split(',').filter(isRole);
  const principal = makePrincipal({ userId: row.user_id, username: row.username, roles }, 'session', row.csrf_token);
  const endsMs = Math.min(lastSeenMs + limits.idleMs, Number(row.created_ms) + limits.absoluteMs);
  cache?.set(key, principal, endsMs, generationAtRead);
  return principal;
}

export async function closeSession(warehouse: Warehouse, sessionId: string): Promise<void> {
  await warehouse.run('DELETE FROM sessions WHERE session_hash = ?', [hashSecret(sessionId)]);
  // A kept check of this session must not outlive it.
  forgetTokenChecks();
}
