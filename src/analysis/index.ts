export type { AnalysisRequest } from './analysis-context.ts';
export { previousRange } from './date-ranges.ts';
export type * from './analysis-result.ts';
export {
  type AnalysisDefinition,
  analysisDefinitions,
  analysisKinds,
  clickhouseAnalyses,
  findAnalysis,
  runAnalysis,
} from './run-analysis.ts';
