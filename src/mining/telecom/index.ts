export { type ChurnModelOptions, type ChurnModelResult, fitChurnModel } from './churn-model.ts';
export { type CrossSellOptions, type CrossSellResult, fitCrossSellModels } from './cross-sell-models.ts';
export { type Offer, rankOffers } from './next-best-offer.ts';
export { readSubscriberFeatures } from './subscriber-features.ts';
export { type CrossSellAffinity, measureCrossSellAffinity } from './cross-sell-affinity.ts';
export { type SubscriberSegmentOptions, type SubscriberSegments, segmentSubscribers } from './subscriber-segments.ts';
export { type SavedSegments, saveSegmentMembers, segmentName } from './segment-members.ts';
export {
  listModels,
  type ModelList,
  type ModelReport,
  type ModelSummary,
  type OfferList,
  readModelReport,
  readOffers,
  type SubscriberOffer,
} from './model-reports.ts';
export { trainMissingModels } from './train-missing-models.ts';
export { type MiningWarehouse, writeModelResults } from './mining-warehouse.ts';
export {
  readFeatureWindowOnClickHouse,
  readSubscriberFeaturesOnClickHouse,
  roundLikeDuckDb,
} from './subscriber-features-clickhouse.ts';
