// Roles are named sets of rights; a user holds one or more roles, a route needs one right. Default
// deny: a right not listed for any of a caller's roles is refused. No role sees full phone numbers
// (`msisdn.unmasked`) today: an agent sees the one number asked for (see mask-msisdn.ts), a campaign's
// send resolves numbers server-side, and an operator who needs more grants a new role here.
import type { Right } from './rights.ts';

export const roles = ['admin', 'analyst', 'campaign_manager', 'approver', 'agent', 'oncall'] as const;
export type Role = (typeof roles)[number];

export const roleRights: Record<Role, readonly Right[]> = {
  admin: ['users.admin', 'audit.read', 'settings.admin'],
  analyst: ['kpi.read', 'mining.read', 'mining.train', 'stream.read', 'campaigns.read', 'alerts.read'],
  campaign_manager: [
    'kpi.read',
    'mining.read',
    'stream.read',
    'rules.write',
    'campaigns.read',
    'campaigns.write',
    'channels.read',
    'channels.send',
  ],
  // Approves what others prepared; "never their own work" is checked by the approval itself.
  approver: ['campaigns.read', 'campaigns.approve', 'stream.read'],
  agent: ['customer.view', 'customer.record'],
  oncall: ['alerts.read', 'alerts.ack', 'alerts.configure', 'stream.read'],
};

export function isRole(name: string): name is Role {
  return (roles as readonly string[]).includes(name);
}

/** The rights of a set of roles ('public' always included). */
export function rightsOf(held: readonly Role[]): ReadonlySet<Right> {
  const rights = new Set<Right>(['public']);
  for (const role of held) for (const right of roleRights[role]) rights.add(right);
  return rights;
}
