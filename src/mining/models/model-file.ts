// A saved model: JSON with its kind, column schema, threshold, held-out figures and parameters.
import { readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';
import type { TableSchema } from '../table/index.ts';
import { type BinaryClassifier, isModelKind, type ModelKind } from './binary-classifier.ts';
import { modelCatalogue } from './fit-model.ts';

export const MODEL_FILE_FORMAT = 'telmark-model';
export const MODEL_FILE_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FILE_FORMAT;
  version: number;
  kind: ModelKind;
  schema: TableSchema;
  threshold: number;
  /** Held-out figures at training time, for the record and the model report. */
  evaluation?: ModelEvaluation;
  model: unknown;
}

export interface ModelEvaluation {
  auc: number;
  rows: number;
  method: string;
  roc?: { threshold: number | null; falsePositiveRate: number; truePositiveRate: number }[];
  gain?: { decile: number; rate: number; cumulativeGain: number; lift: number }[];
  importance?: { feature: string; importance: number }[];
  /** Readable rules of a tree model, strongest first. */
  rules?: string[];
}

export interface LoadedModel {
  file: ModelFile;
  classifier: BinaryClassifier;
}

export function toModelFile(
  classifier: BinaryClassifier,
  schema: TableSchema,
  threshold: number,
  evaluation?: ModelEvaluation,
): ModelFile {
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    kind: classifier.kind,
    schema,
    threshold,
    ...(evaluation ? { evaluation } : {}),
    model: classifier.toJSON(),
  };
}

export function saveModelFile(path: string, file: ModelFile): void {
  writeFileSync(path, `${JSON.stringify(file)}\n`);
}

export function parseModelFile(json: unknown, source = 'model'): LoadedModel {
  const file = json as Partial<ModelFile> | null;
  if (!file || file.format !== MODEL_FILE_FORMAT)
    throw new AppError('INPUT_INVALID', 'not a Telmark model file', {
      location: { file: source },
      hint: 'save one with telmark train --save FILE',
    });
  if (file.version !== MODEL_FILE_VERSION)
    throw new AppError(
      'INPUT_INVALID',
      `model file version ${file.version} is not supported (expected ${MODEL_FILE_VERSION})`,
      {
        location: { file: source },
        hint: 'retrain the model with this version of telmark',
      },
    );
  if (!file.kind || !isModelKind(file.kind) || !file.schema || file.model === undefined)
    throw new AppError('INPUT_INVALID', 'model file is incomplete (kind, schema or model missing)', {
      location: { file: source },
    });
  return { file: file as ModelFile, classifier: modelCatalogue[file.kind].load(file.model) };
}

export function loadModelFile(path: string): LoadedModel {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read model file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  return parseModelFile(json, path);
}
