export { type AnalysisRequest, previousRange } from './analysis-context.ts';
export type * from './analysis-result.ts';
export {
  type AnalysisDefinition,
  analysisDefinitions,
  analysisKinds,
  findAnalysis,
  runAnalysis,
} from './run-analysis.ts';
