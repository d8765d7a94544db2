// Uplift rule discovery: which sub-groups of a pilot did the campaign move? Pure (no warehouse):
// the campaign reads the features with `upliftFeaturesSql` and joins its assignment.
export { describeUpliftConditions, matchesConditions } from './describe-uplift-conditions.ts';
export { discoverUpliftRules } from './discover-uplift-rules.ts';
export { estimateUplift, normalQuantile } from './uplift-estimate.ts';
export { qiniCoefficient, type RankedSamples, upliftByDecile } from './qini-curve.ts';
export { type SyntheticPilotOptions, syntheticPilot } from './synthetic-pilot.ts';
export { type UpliftFeatureName, upliftFeatureNames, upliftFeaturesSql } from './uplift-features-sql.ts';
export { readUpliftFeaturesOnClickHouse, type UpliftFeatureRow } from './uplift-features-clickhouse.ts';
export type {
  Bilingual,
  FeatureValue,
  UpliftCondition,
  UpliftDecile,
  UpliftDiscovery,
  UpliftEstimate,
  UpliftOptions,
  UpliftRule,
  UpliftSample,
} from './uplift-types.ts';
