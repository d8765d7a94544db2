// The demo operator: a synthetic mobile operator in Heyuan with planted, documented patterns.
export { buildCells, counties, namedPlaces, regionName } from './heyuan-geography.ts';
export { englishPlaceName } from './place-names.ts';
export { demoPlans, demoServices } from './demo-catalogue.ts';
export { indexOfMsisdn, msisdnOf } from './demo-msisdn.ts';
export { defaultGenerateOptions, type GenerateOptions } from './generation-context.ts';
export {
  checkGenerateOptions,
  generateDemoOperator,
  type GenerationProgress,
  type GenerationSummary,
} from './generate-demo-operator.ts';
export { type PlantedPatterns, plantedPatterns } from './planted-patterns.ts';
export { plantedPropensity } from './planted-propensity.ts';
export { describeSubscriber, type SubscriberProfile } from './subscriber-profile.ts';
export {
  baselineDailyChance,
  baselineWindowChance,
  findPlantedOffer,
  inPlantedSubGroup,
  noEffectOffer,
  type PlantedCampaignEffect,
  plantedCampaignEffect,
  type PlantedCondition,
  plantedExtraChance,
  type PlantedOffer,
  plantedOffer,
  type ResponseSubject,
} from './planted-campaign-effect.ts';
export {
  type DeliveredOffer,
  type DrawnOrder,
  type DrawnResponses,
  drawCampaignResponses,
  type ResponseSubscriber,
} from './draw-campaign-responses.ts';
