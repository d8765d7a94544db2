export {
  type BinaryClassifier,
  isModelKind,
  type ModelKind,
  modelKinds,
  type ProgressCallback,
} from './binary-classifier.ts';
export { fitModel, modelCatalogue } from './fit-model.ts';
export { type LoadedModel, loadModelFile, type ModelFile, parseModelFile, saveModelFile } from './model-file.ts';
export { type ScoredRow, scoreTable } from './score-table.ts';
export {
  type FeatureImportance,
  mean,
  standardDeviation,
  type TrainingOutcome,
  type TrainOnTableOptions,
  trainOnTable,
} from './train-on-table.ts';
export {
  affinityInWorker,
  discoverUpliftRulesInWorker,
  type PropensityTransfer,
  propensitiesInWorker,
  segmentInWorker,
  type TrainingRequest,
  type TrainingSummary,
  toTrainingSummary,
  trainInWorker,
} from './train-in-worker.ts';
