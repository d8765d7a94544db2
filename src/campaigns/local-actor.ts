// Who runs a campaign command on this machine. A named account acts with its roles' rights (so an
// approver can approve from the command line); anyone else who can open the warehouse file may
// prepare and run campaigns, but never approve: approval always needs an account with the right.
import { findAccount, rightsOf } from '../access/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { CampaignActor } from './campaign-lifecycle.ts';

export async function localCampaignActor(warehouse: Warehouse, name: string): Promise<CampaignActor> {
  const account = await findAccount(warehouse, name);
  if (account?.disabled)
    throw new AppError('FORBIDDEN', `user ${name} is disabled`, {
      hint: 'telmark user enable NAME, or act as another user',
    });
  if (account) return { name, address: 'local', rights: rightsOf(account.roles) };
  return { name, address: 'local', rights: rightsOf(['campaign_manager']) };
}
