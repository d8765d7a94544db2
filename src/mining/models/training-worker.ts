// Worker-thread entry of the mining worker: trains on a CSV (path or text) and posts progress, or
// segments an encoded table, measures the cross-sell affinities or finds uplift rules; then posts the
// result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../shared/errors.ts';
import { segmentTable } from '../segments/index.ts';
import { measureCrossSellAffinity } from '../telecom/cross-sell-affinity.ts';
import { discoverUpliftRules } from '../uplift/index.ts';
import { encodeFeatures, parseCsvTable, readCsvTable } from '../table/index.ts';
import {
  type PropensityTransfer,
  type TrainingRequest,
  type TrainingSummary,
  toTrainingSummary,
  type WorkerJob,
} from './train-in-worker.ts';
import { trainOnTable } from './train-on-table.ts';

const job = workerData as WorkerJob;
const port = parentPort!;
try {
  const result =
    job.job === 'propensity'
      ? await propensities(job)
      : job.job === 'segment'
        ? segmentTable(job.table, job.options)
        : job.job === 'affinity'
          ? measureCrossSellAffinity(job.subscribers, job.uptake)
          : job.job === 'uplift'
            ? discoverUpliftRules(job.samples, job.options)
            : train(job.request);
  port.postMessage({ type: 'done', result });
} catch (error) {
  port.postMessage({
    type: 'error',
    error: isAppError(error)
      ? error.toJSON()
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), location: {} },
  });
}

function train(request: TrainingRequest) {
  const table =
    request.csvText !== undefined
      ? parseCsvTable(request.csvText, request.source ?? 'table')
      : readCsvTable(request.tablePath!);
  let last = 0;
  const outcome = trainOnTable(table, {
    ...request.options,
    testTable: request.testTablePath ? readCsvTable(request.testTablePath) : undefined,
    onProgress: (done, total, label) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      port.postMessage({ type: 'progress', done, total, label });
    },
  });
  const summary: TrainingSummary = toTrainingSummary(outcome);
  if (request.scoreInput)
    summary.scores = outcome.classifier.predictProbabilities(encodeFeatures(table, outcome.schema.features));
  return summary;
}

async function propensities(job: Extract<WorkerJob, { job: 'propensity' }>): Promise<PropensityTransfer[]> {
  // Imported here: the telecom module imports this folder's index, which names this worker's entry.
  const { fitServicePropensities } = await import('../telecom/service-propensity.ts');
  const fitted = await fitServicePropensities(job.subscribers, job.uptake, job.options);
  return fitted.map((p) => ({
    service: p.service,
    auc: p.auc,
    takers: p.takers,
    kind: p.classifier.kind,
    model: p.classifier.toJSON(),
    scores: p.scores,
  }));
}
