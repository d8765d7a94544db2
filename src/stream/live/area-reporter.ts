// A worker's side of the merged live area counts: every few seconds (wall time, so an idle worker still
// says it is alive) its own counts go to NATS as one report. Core NATS, not JetStream: a report is
// superseded by the next a few seconds later, so storing or replaying one adds nothing, and a lost one
// is replaced by the next. Only cells with someone present or calling are sent, so a province's tens of
// thousands of cells stay well inside NATS's 1 MB message limit on a busy worker too.
import type { NatsConnection } from '@nats-io/transport-node';
import { connectCluster } from '../partitions/signalling-stream.ts';
import type { WorkerSlot } from '../partitions/partition-of.ts';
import { type AreaReport, areaReportSubject } from './area-report.ts';

export interface AreaReporterOptions {
  servers: readonly string[];
  worker: WorkerSlot;
  intervalMs: number;
  /** The worker's own counts now. */
  build: () => Promise<Omit<AreaReport, 'worker' | 'intervalMs'>>;
  note?: (text: string) => void;
}

export interface AreaReporter {
  /** Sends one report now (also done every interval). */
  report(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAreaReporter(options: AreaReporterOptions): Promise<AreaReporter> {
  const connection: NatsConnection = await connectCluster(options.servers);
  const subject = areaReportSubject(options.worker);
  let sending: Promise<void> | undefined;
  let failedOnce = false;
  const report = async () => {
    const built = await options.build();
    const view = { ...built.view, cells: built.view.cells.filter((c) => c.present > 0 || hasCallers(c.callers)) };
    const payload: AreaReport = { ...built, view, worker: options.worker, intervalMs: options.intervalMs };
    connection.publish(subject, JSON.stringify(payload));
  };
  const tick = () => {
    if (sending) return; // the previous report is still being built: skip this beat
    sending = report()
      .catch((error: unknown) => {
        // The next beat tries again; say it once, not every few seconds.
        if (!failedOnce) options.note?.(`live area report not sent: ${(error as Error).message}`);
        failedOnce = true;
      })
      .finally(() => {
        sending = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();
  return {
    report: async () => {
      await sending;
      await report();
      await connection.flush();
    },
    stop: async () => {
      clearInterval(timer);
      await sending;
      await connection.drain().catch(() => undefined);
    },
  };
}

function hasCallers(callers: Record<string, number>): boolean {
  for (const n of Object.values(callers)) if (n > 0) return true;
  return false;
}
