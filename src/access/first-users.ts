// The first accounts of a warehouse: `telmark serve` on a warehouse without users makes an `admin`, and
// `telmark demo` one demo user per role; each password is generated and handed back to be printed once.
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { countAccounts, createAccount, findAccount, setPassword } from './accounts.ts';
import { appendAudit } from './audit-log.ts';
import { type Role, roles } from './roles.ts';
import { newPassword } from './secret-token.ts';

export interface NewCredentials {
  username: string;
  roles: Role[];
  password: string;
}

const bySystem = { actor: 'system', address: 'local' };

/**
 * An `admin` when the warehouse has no user at all. It also holds `analyst`, so that whoever starts the
 * server sees the dashboard, not only the user administration.
 */
export async function ensureFirstAdmin(warehouse: Warehouse, clock: Clock): Promise<NewCredentials | undefined> {
  if ((await countAccounts(warehouse)) > 0) return undefined;
  const credentials: NewCredentials = { username: 'admin', roles: ['admin', 'analyst'], password: newPassword() };
  await createAccount(warehouse, clock, credentials);
  await appendAudit(warehouse, clock, {
    ...bySystem,
    action: 'user.add',
    target: 'admin',
    detail: { roles: credentials.roles, reason: 'first serve' },
  });
  return credentials;
}

/** `demo-<role>` for every role, each with a fresh password (a demo's passwords change every run). */
export async function ensureDemoUsers(warehouse: Warehouse, clock: Clock): Promise<NewCredentials[]> {
  const made: NewCredentials[] = [];
  for (const role of roles) {
    const username = `demo-${role.replace('_', '-')}`;
    const password = newPassword();
    if (await findAccount(warehouse, username)) await setPassword(warehouse, clock, username, password);
    else await createAccount(warehouse, clock, { username, password, roles: [role] });
    await appendAudit(warehouse, clock, {
      ...bySystem,
      action: 'user.demo',
      target: username,
      detail: { roles: [role] },
    });
    made.push({ username, roles: [role], password });
  }
  return made;
}
