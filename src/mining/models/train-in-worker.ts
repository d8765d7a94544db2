// Mining off the calling thread (for the server, so that requests keep being answered): a
// worker_thread runs trainOnTable (with progress), a k-means segmentation, the cross-sell affinity
// models or a round's uplift rules; results come back as plain data.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorLocation } from '../../shared/errors.ts';
import type { BaselineVerdict } from '../evaluation/baseline-gate.ts';
import type { ClassificationReport } from '../evaluation/classification-metrics.ts';
import type { Segmentation, SegmentOptions } from '../segments/index.ts';
import type { CrossSellAffinity } from '../telecom/cross-sell-affinity.ts';
import type { ServiceUptake } from '../telecom/service-propensity.ts';
import type { UpliftDiscovery, UpliftOptions, UpliftSample } from '../uplift/index.ts';
import type { FeatureTable, TableSchema } from '../table/index.ts';
import type { ModelKind, ProgressCallback } from './binary-classifier.ts';
import type { ModelFile } from './model-file.ts';
import type { FeatureImportance, TrainingOutcome, TrainOnTableOptions } from './train-on-table.ts';

export interface TrainingRequest {
  /** A CSV file to read, or the CSV text itself (with a name for messages). */
  tablePath?: string;
  csvText?: string;
  source?: string;
  testTablePath?: string;
  options: Omit<TrainOnTableOptions, 'onProgress' | 'testTable'>;
  /** Also score every row of the table on the worker (a model written back scores what it learnt from). */
  scoreInput?: boolean;
}

/** Everything of a TrainingOutcome except the live model object: safe to post between threads. */
export interface TrainingSummary {
  schema: TableSchema;
  method: string;
  report: ClassificationReport;
  foldAucs?: number[];
  trainRows: number;
  importance: FeatureImportance[];
  rules?: string[];
  modelFile: ModelFile;
  verdict: BaselineVerdict;
  /** The table's own rows scored, row-aligned, when the request asked (scoreInput). */
  scores?: Float64Array;
}

export function toTrainingSummary(outcome: TrainingOutcome): TrainingSummary {
  return {
    schema: outcome.schema,
    method: outcome.method,
    report: outcome.report,
    ...(outcome.foldAucs ? { foldAucs: outcome.foldAucs } : {}),
    trainRows: outcome.trainRows,
    importance: outcome.importance,
    ...(outcome.rules ? { rules: outcome.rules.map((r) => r.text) } : {}),
    modelFile: outcome.modelFile,
    verdict: outcome.verdict,
  };
}

/** A job for the mining worker: a model to train, k-means segments, cross-sell affinities, or uplift rules. */
export type WorkerJob =
  | { job: 'train'; request: TrainingRequest }
  | { job: 'segment'; table: FeatureTable; options: SegmentOptions }
  | { job: 'affinity'; subscribers: readonly Record<string, unknown>[]; uptake: ServiceUptake }
  | { job: 'uplift'; samples: readonly UpliftSample[]; options: UpliftOptions }
  | {
      job: 'propensity';
      subscribers: readonly Record<string, unknown>[];
      uptake: ServiceUptake;
      options: { seed?: number; trees?: number };
    };

/** A service's propensity model as plain data: the main thread rebuilds the classifier from `model`. */
export interface PropensityTransfer {
  service: string;
  auc: number;
  takers: number;
  kind: ModelKind;
  model: unknown;
  scores: Float64Array;
}

type WorkerMessage =
  | { type: 'progress'; done: number; total: number; label: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: { code: ErrorCode; message: string; location: ErrorLocation; hint?: string } };

/** An aborted `signal` terminates the worker at once (Ctrl+C need not wait for the last tree). */
export function trainInWorker(
  request: TrainingRequest,
  onProgress?: ProgressCallback,
  signal?: AbortSignal,
): Promise<TrainingSummary> {
  return runInWorker<TrainingSummary>({ job: 'train', request }, onProgress, signal);
}

/** k-means off the calling thread: the server keeps answering while a segmentation runs. */
export function segmentInWorker(table: FeatureTable, options: SegmentOptions): Promise<Segmentation> {
  return runInWorker<Segmentation>({ job: 'segment', table, options });
}

/**
 * The cross-sell affinities off the calling thread: one logistic model per service, seconds of CPU
 * on a large warehouse that would otherwise freeze the server (`npm start` trains after serving).
 */
export function affinityInWorker(
  subscribers: readonly Record<string, unknown>[],
  uptake: ServiceUptake,
  signal?: AbortSignal,
): Promise<CrossSellAffinity[]> {
  return runInWorker<CrossSellAffinity[]>({ job: 'affinity', subscribers, uptake }, undefined, signal);
}

/**
 * Every service's propensity model, trained and its subscribers scored, on the worker: the scoring of
 * open accounts is as long as a training at 20,000 subscribers and would otherwise stall the server.
 */
export function propensitiesInWorker(
  subscribers: readonly Record<string, unknown>[],
  uptake: ServiceUptake,
  options: { seed?: number; trees?: number },
  signal?: AbortSignal,
): Promise<PropensityTransfer[]> {
  return runInWorker<PropensityTransfer[]>({ job: 'propensity', subscribers, uptake, options }, undefined, signal);
}

/** Uplift rules of a campaign round off the calling thread: the tree and its held-out checks are CPU work. */
export function discoverUpliftRulesInWorker(
  samples: readonly UpliftSample[],
  options: UpliftOptions = {},
): Promise<UpliftDiscovery> {
  return runInWorker<UpliftDiscovery>({ job: 'uplift', samples, options });
}

function runInWorker<T>(job: WorkerJob, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('INTERRUPTED', 'mining stopped before it started'));
      return;
    }
    // Compiled (dist/*.js, see scripts/build.mjs) the worker is plain JavaScript. From the TypeScript
    // sources the worker registers tsx itself before importing the entry: on Node 20 a worker given
    // execArgv ['--import', 'tsx'] still resolves a .ts main script without the hooks and fails.
    const compiled = import.meta.url.endsWith('.js');
    const entry = new URL(compiled ? './training-worker.js' : './training-worker.ts', import.meta.url);
    // tsx resolved here, beside this module: an eval'd worker resolves bare names from the working folder,
    // which for `telmark` run elsewhere (the cluster tests' own folder) has no node_modules.
    const worker = compiled
      ? new Worker(entry, { workerData: job })
      : new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, workerData: job },
        );
    let settled = false;
    const abort = () => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(new AppError('INTERRUPTED', 'mining stopped: the worker was terminated'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.done, message.total, message.label);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result as T);
      } else {
        settled = true;
        const { code, message: text, location, hint } = message.error;
        reject(new AppError(code, text, { location, hint }));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(new AppError('INTERNAL', `mining worker failed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (!settled) reject(new AppError('INTERNAL', `mining worker stopped (exit code ${code}) without a result`));
    });
  });
}
