// The stream domain's public face for other layers (API routes, CLI).
export { summariseAreas, type AreaView } from './engine/area-view.ts';
export { measureRuleEffect, type RuleEffect } from './effect/rule-effect.ts';
export { getLiveStream, setLiveStream } from './live-stream.ts';
export { validateRule, describeProblems } from './rules/parse-rules.ts';
export { deleteRule, loadStoredRules, saveRule } from './rules/rule-store.ts';
export type { RuleDefinition } from './rules/rule-schema.ts';
export { openStreamSession, type StreamSession } from './stream-session.ts';
export { manageRules, type RuleList, type RuleView } from './rules/manage-rules.ts';
export { replaySignalling } from './replay/replay-signalling.ts';
export { openReplayTarget } from './replay/replay-targets.ts';
export { type GeofenceList, type GeofenceView, manageGeofences } from './geofences/manage-geofences.ts';
export {
  exportRewards,
  listRewards,
  markRewardsFulfilled,
  rewardStatuses,
  type RewardRow,
  type RewardsList,
  type RewardTotal,
} from './rewards/index.ts';
export { reloadModelResults } from './state/reload-model-results.ts';
export { describeLiveSubscriber, type LiveSubscriberFacts } from './state/live-subscriber.ts';
export {
  type LiveAreaRow,
  type LiveAreas,
  type LiveAreasAnswer,
  readAreaLabels,
  readLiveAreas,
} from './live-areas.ts';
export type { MergedLiveAreas, WorkerReportStatus } from './live/area-report.ts';
export { describeRuleEffect, type RuleEffectView } from './effect/rule-effect-view.ts';
export { readRecentDecisions } from './outbox/recent-decisions.ts';
export { labelArea, labelPlace, type BilingualText } from './geofences/area-label.ts';
export { describePlace, type LiveMapView, type PlaceDetail, type PlaceKind, readLiveMap } from './map/live-map.ts';
