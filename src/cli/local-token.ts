// The token a command uses when it forwards its question to the server that holds the warehouse
// (forward-when-locked.ts). The server writes it beside the warehouse file, readable by its owner only,
// for a service account (`local-cli`, analyst) whose password nobody knows.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';

export const localTokenPath = (dbPath: string) => `${dbPath}.token`;
export const localCliUser = 'local-cli';

/** Makes sure a valid token for `local-cli` is in `<db>.token` (mode 0600). */
export async function ensureLocalToken(warehouse: Warehouse, clock: Clock, dbPath: string): Promise<void> {
  if (dbPath === ':memory:') return;
  const access = await import('../access/index.ts');
  const path = localTokenPath(dbPath);
  const existing = readLocalToken(dbPath);
  if (existing && (await access.resolveApiToken(warehouse, clock, existing))) return;
  if (!(await access.findAccount(warehouse, localCliUser))) {
    await access.createAccount(warehouse, clock, {
      username: localCliUser,
      password: access.newSecret(),
      roles: ['analyst'],
    });
  }
  const { token } = await access.createApiToken(warehouse, clock, {
    username: localCliUser,
    lifetimeMs: access.parseDuration('90d'),
    note: `commands beside ${dbPath}`,
  });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // the mode above applies only when the file is new
}

/** The token, when the file exists and nobody but its owner can read it. */
export function readLocalToken(dbPath: string): string | undefined {
  const path = localTokenPath(dbPath);
  if (!existsSync(path)) return undefined;
  if ((statSync(path).mode & 0o077) !== 0) return undefined; // readable by others: do not trust or use it
  return readFileSync(path, 'utf8').trim() || undefined;
}
