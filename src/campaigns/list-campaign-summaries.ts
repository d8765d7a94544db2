// The campaigns list of the dashboard (GET /api/campaigns): each campaign with its rounds, a round
// carrying its latest uplift instead of the whole evaluation and audience (the list and the calendar
// need no more, and a list of fifty campaigns stays small).
import type { Warehouse } from '../warehouse/index.ts';
import { type Campaign, type CampaignFilter, listCampaigns } from './campaign-store.ts';
import { type CampaignRound, listRounds } from './rounds/campaign-rounds.ts';

export interface CampaignRoundSummary extends Omit<CampaignRound, 'evaluation' | 'audience'> {
  /** The latest evaluation's uplift in percentage points; null until evaluated. */
  uplift: number | null;
}

export interface CampaignSummary extends Campaign {
  rounds: CampaignRoundSummary[];
}

/** The answer of GET /api/campaigns. */
export interface CampaignSummaryList {
  campaigns: CampaignSummary[];
}

export async function listCampaignSummaries(
  warehouse: Warehouse,
  filter: CampaignFilter = {},
): Promise<CampaignSummaryList> {
  const campaigns = await listCampaigns(warehouse, filter);
  const withRounds = await Promise.all(
    campaigns.map(async (c) => ({
      ...c,
      rounds: (await listRounds(warehouse, c.id)).map(({ evaluation, audience: _, ...r }) => ({
        ...r,
        uplift: evaluation?.uplift ?? null,
      })),
    })),
  );
  return { campaigns: withRounds };
}
