// Everything about one campaign for `campaign show` and GET /api/campaigns/{id}: the campaign, its
// rounds (with evaluations and rules), its history, and what earlier campaigns of the service teach.
import type { Warehouse } from '../warehouse/index.ts';
import { type Campaign, listChanges, loadCampaign } from './campaign-store.ts';
import { type CampaignPause, listPauses } from './pause/campaign-pauses.ts';
import { type KnowledgeEntry, suggestForService } from './knowledge/search-knowledge.ts';
import { type CampaignRound, listRounds } from './rounds/campaign-rounds.ts';

export interface CampaignDetail {
  campaign: Campaign;
  rounds: CampaignRound[];
  changes: Awaited<ReturnType<typeof listChanges>>;
  /** Earlier closed campaigns of the same service, best first, with their evidence. */
  earlier: KnowledgeEntry[];
  /** Every pause, with what it held and what its end released. */
  pauses: CampaignPause[];
}

export async function showCampaign(warehouse: Warehouse, id: string): Promise<CampaignDetail> {
  const campaign = await loadCampaign(warehouse, id);
  const [rounds, changes, earlier, pauses] = await Promise.all([
    listRounds(warehouse, id),
    listChanges(warehouse, id),
    suggestForService(warehouse, campaign.serviceId),
    listPauses(warehouse, id),
  ]);
  return { campaign, rounds, changes, earlier: earlier.filter((e) => e.campaign_id !== id), pauses };
}
