// Worker-thread entry: trains on a CSV (path or text) and posts progress, then the outcome or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../shared/errors.ts';
import { parseCsvTable, readCsvTable } from '../table/index.ts';
import { type TrainingRequest, toTrainingSummary } from './train-in-worker.ts';
import { trainOnTable } from './train-on-table.ts';

const request = workerData as TrainingRequest;
const port = parentPort!;
try {
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
  port.postMessage({ type: 'done', summary: toTrainingSummary(outcome) });
} catch (error) {
  port.postMessage({
    type: 'error',
    error: isAppError(error)
      ? error.toJSON()
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), location: {} },
  });
}
