// The customer profile for the call centre: read one customer by exact number, record what happened
// to an offer. Other layers (API, CLI) import from here.
export type * from './customer-profile.ts';
export { parseMsisdn, type Msisdn } from './parse-msisdn.ts';
export { readCustomerProfile, type ReadProfileOptions } from './read-customer-profile.ts';
export {
  type ProfileReferences,
  ProfileReferenceCache,
  readProfileReferences,
} from './profile-reference-cache.ts';
export {
  isOutcome,
  type Outcome,
  type OutcomeInput,
  outcomeLabels,
  outcomes,
  type RecordedOutcome,
  recordCustomerOutcome,
} from './outcomes.ts';
export { churnReasons, assessChurnRisk, type ChurnFacts } from './churn-risk.ts';
