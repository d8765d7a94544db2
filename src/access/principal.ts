// Who is asking: a signed-in user (session cookie), a script (API token), or a local command.
import type { Right } from './rights.ts';
import { type Role, rightsOf } from './roles.ts';

export interface Principal {
  userId: number;
  username: string;
  roles: readonly Role[];
  rights: ReadonlySet<Right>;
  /** How the caller proved who it is; cookie sessions must also send the CSRF token. */
  via: 'session' | 'token' | 'test';
  /** The session's CSRF token (sessions only). */
  csrfToken?: string;
}

export function makePrincipal(
  user: { userId: number; username: string; roles: readonly Role[] },
  via: Principal['via'],
  csrfToken?: string,
): Principal {
  return { ...user, rights: rightsOf(user.roles), via, ...(csrfToken ? { csrfToken } : {}) };
}
