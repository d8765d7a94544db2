// Campaigns: the content (a campaign file), the lifecycle with maker–checker, pilot and rollout rounds
// with stable control groups queued through the one outbox, the evaluation against control with uplift
// rules, and the knowledge base that closing writes.
export { type CampaignContent, type CampaignInput, campaignContentSchema } from './campaign-content.ts';
export { parseCampaignYaml, validateContent } from './parse-campaign-file.ts';
export {
  type Campaign,
  type CampaignFilter,
  type CampaignStatus,
  campaignStatuses,
  findCampaign,
  listCampaigns,
  loadCampaign,
} from './campaign-store.ts';
export {
  approveCampaign,
  type CampaignActor,
  type CampaignDeps,
  cancelCampaign,
  createCampaign,
  editCampaign,
} from './campaign-lifecycle.ts';
export { type RolloutOptions, type RoundStarted, startPilot, startRollout } from './rounds/start-round.ts';
export { type CampaignRound, listRounds } from './rounds/campaign-rounds.ts';
export { assignGroups } from './rounds/assign-groups.ts';
export { evaluateCampaign, measureRound } from './evaluation/evaluate-campaign.ts';
export type { GroupStats, RoundEvaluation } from './evaluation/summarize-round.ts';
export { upliftOf } from './evaluation/uplift-stats.ts';
export { closeCampaign } from './knowledge/close-campaign.ts';
export {
  type KnowledgeEntry,
  type KnowledgeList,
  type KnowledgeQuery,
  searchKnowledge,
  suggestForService,
} from './knowledge/search-knowledge.ts';
export { type CampaignDetail, showCampaign } from './show-campaign.ts';
export {
  type CampaignRoundSummary,
  type CampaignSummary,
  type CampaignSummaryList,
  listCampaignSummaries,
} from './list-campaign-summaries.ts';
export { localCampaignActor } from './local-actor.ts';
export { type DemoCampaigns, runDemoCampaigns } from './demo/run-demo-campaigns.ts';
export { type PauseOutcome, pauseCampaign, resumeCampaign } from './pause/pause-campaign.ts';
export { type CampaignPause, listPauses } from './pause/campaign-pauses.ts';
