// Login throttling: after too many failed attempts for one user name, or from one address, within a
// window, further attempts are refused (429) until the window has passed, whatever the password.
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';

export interface ThrottleLimits {
  windowMs: number;
  perUser: number;
  perAddress: number;
}

export const defaultThrottleLimits: ThrottleLimits = { windowMs: 15 * 60_000, perUser: 5, perAddress: 20 };

/** Milliseconds until a new attempt is allowed; 0 when allowed now. */
export async function loginWaitMs(
  warehouse: Warehouse,
  clock: Clock,
  attempt: { username: string; address: string },
  limits: ThrottleLimits = defaultThrottleLimits,
): Promise<number> {
  const since = clock.nowMs() - limits.windowMs;
  const row = await warehouse.one<{
    by_user: number;
    by_address: number;
    oldest_user: number | null;
    oldest_address: number | null;
  }>(
    `SELECT count(*) FILTER (WHERE username = ?)::INTEGER AS by_user,
            count(*) FILTER (WHERE address = ?)::INTEGER AS by_address,
            min(at_ms) FILTER (WHERE username = ?) AS oldest_user,
            min(at_ms) FILTER (WHERE address = ?) AS oldest_address
     FROM login_attempts WHERE NOT ok AND at_ms > ?`,
    [attempt.username, attempt.address, attempt.username, attempt.address, since],
  );
  if (!row) return 0;
  const waits: number[] = [0];
  if (row.by_user >= limits.perUser && row.oldest_user !== null) waits.push(row.oldest_user + limits.windowMs);
  if (row.by_address >= limits.perAddress && row.oldest_address !== null)
    waits.push(row.oldest_address + limits.windowMs);
  return Math.max(0, Math.max(...waits) - clock.nowMs());
}

export async function recordLoginAttempt(
  warehouse: Warehouse,
  clock: Clock,
  attempt: { username: string; address: string; ok: boolean },
): Promise<void> {
  await warehouse.run('INSERT INTO login_attempts (at_ms, username, address, ok) VALUES (?, ?, ?, ?)', [
    clock.nowMs(),
    attempt.username.slice(0, 100),
    attempt.address,
    attempt.ok,
  ]);
  // A good sign-in is a quiet moment to forget attempts too old to throttle anything.
  if (attempt.ok) await warehouse.run('DELETE FROM login_attempts WHERE at_ms < ?', [clock.nowMs() - 86_400_000]);
}
