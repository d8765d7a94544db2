// `campaign pause|resume`: a running campaign's pending outbox messages are held (status `held`, see
// src/channels/outbox/hold-messages.ts) and handed back on resume. The lifecycle status stays as it was,
// so the evaluation reads as before; each step is a change record and an audit entry like the others.
// A running sender checks the rest of its page for held messages every half second: what it sent in
// that moment is recorded as sent (its answer replaces `held`), never held and sent again.
import type { Warehouse } from '../../warehouse/index.ts';
import { type CampaignActor, type CampaignDeps, checkStep, moveCampaign } from '../campaign-lifecycle.ts';
import { type Campaign, loadCampaign } from '../campaign-store.ts';
import { endPause, openPause } from './campaign-pauses.ts';

export interface PauseOutcome {
  campaign: Campaign;
  /** Messages held by the pause, or handed back to the sender by the resume. */
  messages: number;
}

export async function pauseCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
  reason = '',
): Promise<PauseOutcome> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'pause');
  let held = 0;
  await moveCampaign(warehouse, campaign, {
    step: 'pause',
    to: campaign.status,
    actor,
    deps,
    note: reason || undefined,
    alsoWrite: async (tx, at) => {
      held = await openPause(tx, { campaignId: id, at, actor: actor.name });
    },
    detail: () => ({ held }),
  });
  return { campaign: await loadCampaign(warehouse, id), messages: held };
}

export async function resumeCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
): Promise<PauseOutcome> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'resume');
  let released = 0;
  await moveCampaign(warehouse, campaign, {
    step: 'resume',
    to: campaign.status,
    actor,
    deps,
    alsoWrite: async (tx, at) => {
      released = await endPause(tx, { campaignId: id, at, actor: actor.name, how: 'resumed' });
    },
    detail: () => ({ released }),
  });
  return { campaign: await loadCampaign(warehouse, id), messages: released };
}
