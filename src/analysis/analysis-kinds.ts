// The analyses' names on their own, so that `telmark analyze --help` can list them without loading
// the analyses (and with them DuckDB). Same order as analysisDefinitions in run-analysis.ts; a test
// (test/analysis/analysis-kinds.test.ts) keeps the two lists equal.
export const analysisKinds: readonly string[] = [
  'overview',
  'kpi',
  'composition',
  'tariff',
  'activity',
  'channels',
  'trial-stickiness',
  'effect',
  'sms-forward',
  'ivr-menus',
  'area-view',
  'marketing',
  'bundles',
];
