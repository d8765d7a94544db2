import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { type TrainingRequest, trainInWorker } from '../../../src/mining/models/index.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import { isAppError } from '../../../src/shared/errors.ts';

function churnCsv(rows: number): string {
  const random = createSeededRandom(11);
  const lines = ['calls,complaints,churned'];
  for (let i = 0; i < rows; i++) {
    const complaints = random.int(6);
    lines.push(`${random.int(300)},${complaints},${random.next() < (complaints >= 4 ? 0.7 : 0.1) ? 1 : 0}`);
  }
  return lines.join('\n');
}

/** Gradient-boosted trees on 20,000 rows: seconds of work, long enough to watch the event loop or abort. */
function longTraining(trees: number): TrainingRequest {
  return {
    csvText: churnCsv(20_000),
    source: 'churn.csv',
    options: { target: 'churned', model: 'gbdt', seed: 1, testFraction: 0.25, threshold: 0.5, params: { trees } },
  };
}

describe('training in a worker thread', () => {
  it('trains off the calling thread, reports progress and returns the model file', async () => {
    const progress: number[] = [];
    const summary = await trainInWorker(
      {
        csvText: churnCsv(800),
        source: 'churn.csv',
        options: {
          target: 'churned',
          model: 'gbdt',
          seed: 1,
          testFraction: 0.25,
          threshold: 0.5,
          params: { trees: 40 },
        },
      },
      (done) => progress.push(done),
    );
    assert.ok(summary.report.auc > 0.7, `AUC ${summary.report.auc}`);
    assert.equal(summary.modelFile.kind, 'gbdt');
    assert.equal(summary.importance[0]!.feature, 'complaints');
    assert.ok(progress.length > 0 && progress.at(-1) === 40);
  });

  it('leaves the event loop free during a long training', async () => {
    // A timer that fired once would pass even if training blocked the thread for most of its run;
    // the event-loop delay shows it: on the calling thread the whole training is one stall.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    await trainInWorker(longTraining(150));
    const elapsedMs = performance.now() - started;
    delay.disable();
    const maxDelayMs = delay.max / 1e6;
    assert.ok(elapsedMs > 500, `the training must be long enough to tell (${elapsedMs.toFixed(0)} ms)`);
    assert.ok(
      maxDelayMs < elapsedMs / 2,
      `the event loop stalled ${maxDelayMs.toFixed(0)} ms during a ${elapsedMs.toFixed(0)} ms training`,
    );
  });

  it('stops a training at once when its signal is aborted, and starts none on an aborted signal', async () => {
    const controller = new AbortController();
    const reports: number[] = [];
    const training = trainInWorker(
      longTraining(400),
      (done) => {
        reports.push(done);
        controller.abort();
      },
      controller.signal,
    );
    await assert.rejects(training, (e: unknown) => isAppError(e) && e.code === 'INTERRUPTED');
    // Reports already in flight may still land; after that the terminated worker sends nothing more.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const settled = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(reports.length, settled, `reports went on after the abort: ${reports.join(',')}`);
    assert.ok(reports.at(-1)! < 400, `the training ran to its end (${reports.at(-1)} of 400 trees)`);

    await assert.rejects(
      trainInWorker(
        {
          csvText: churnCsv(50),
          options: { target: 'churned', model: 'tree', seed: 1, testFraction: 0.2, threshold: 0.5 },
        },
        undefined,
        AbortSignal.abort(),
      ),
      (e: unknown) => isAppError(e) && e.code === 'INTERRUPTED' && /before it started/.test(e.message),
    );
  });

  it('passes errors back with their code', async () => {
    await assert.rejects(
      trainInWorker({
        csvText: churnCsv(50),
        options: { target: 'nope', model: 'tree', seed: 1, testFraction: 0.2, threshold: 0.5 },
      }),
      (e: unknown) => isAppError(e) && e.code === 'USAGE' && /no column "nope"/.test(e.message),
    );
  });
});
