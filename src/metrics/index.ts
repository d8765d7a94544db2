export {
  type CompiledMetric,
  type CompileResult,
  compileMetric,
  type KnownValues,
  type MetricProblem,
  type MetricRequest,
} from './compile-metric.ts';
export { type CompleteDays, completenessFeeds, loadCompleteDays } from './complete-days.ts';
export {
  cachedDimensionCatalogue,
  type DimensionCatalogue,
  knownValuesOf,
  labelOf,
  loadDimensionCatalogue,
} from './dimension-catalogue.ts';
export * from './dimensions.ts';
export { factSources, type SourceName } from './fact-sources.ts';
export {
  type Formula,
  type MetricDefinition,
  type MetricUnit,
  metricDefinitions,
  metricsByName,
} from './metric-definitions.ts';
export {
  assertHasData,
  compileOrThrow,
  findMetric,
  type MetricResult,
  problemsToError,
  queryMetric,
} from './query-metric.ts';
export * from './value-labels.ts';
export { describeMetrics, type MetricCatalogue, type MetricInfo } from './metric-catalogue.ts';
