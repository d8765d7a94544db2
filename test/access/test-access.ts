// Credentials for tests of other domains: a server built with `access: testAccess` treats a request
// without credentials as a user holding every role, so those tests keep asking their routes directly.
// Tests of access control itself (test/access/) sign in for real.
import type { AccessOptions } from '../../src/api/access-plugin.ts';
import { roles } from '../../src/access/index.ts';

export const testAccess: AccessOptions = { actAs: { username: 'tester', roles: [...roles] } };
