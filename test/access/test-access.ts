// Credentials for tests of other domains: a server built with `access: testAccess` treats a request
// without credentials as a user holding every role, so those tests keep asking their routes directly.
// Tests of access control itself (test/access/) sign in for real.
import { createAccount, createApiToken, findAccount, type Role, roles } from '../../src/access/index.ts';
import type { AccessOptions } from '../../src/api/access-plugin.ts';
import { type Clock, systemClock } from '../../src/shared/clock.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';

export const testAccess: AccessOptions = { actAs: { username: 'tester', roles: [...roles] } };

/** A user holding `roles` and an API token for it; returns the header to send. */
export async function bearerFor(
  warehouse: Warehouse,
  username: string,
  held: readonly Role[],
  clock: Clock = systemClock,
): Promise<{ authorization: string }> {
  if (!(await findAccount(warehouse, username)))
    await createAccount(warehouse, clock, { username, password: 'a-long-test-password', roles: held });
  const { token } = await createApiToken(warehouse, clock, { username, roles: held });
  return { authorization: `Bearer ${token}` };
}

/** A concrete path for a route pattern: a phone number for :msisdn, plausible names elsewhere. */
export function samplePath(url: string): string {
  const samples: Record<string, string> = {
    msisdn: '13800138000',
    kind: 'overview',
    metric: 'subscribers',
    version: 'no-such-model',
    id: 'no-such-id',
    name: 'nobody',
  };
  return url.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x');
}
