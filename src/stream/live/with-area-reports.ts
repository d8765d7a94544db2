// A worker of the partitioned stream that reports its live area counts while it runs (area-reporter.ts),
// and once more when it stops, so the board holds its final counts until they go stale.
import type { Warehouse } from '../../warehouse/index.ts';
import { readLocalLiveAreas } from '../live-areas.ts';
import type { WorkerSlot } from '../partitions/partition-of.ts';
import type { StreamSession } from '../stream-session.ts';
import type { AreaReport } from './area-report.ts';
import { startAreaReporter } from './area-reporter.ts';

export interface AreaReportOptions {
  servers: readonly string[];
  worker: WorkerSlot;
  /** How often the counts are sent (wall time). */
  intervalMs: number;
  /** The callers' window of the report (the live page's 30 minutes by default). */
  windowSec?: number;
}

export function withAreaReports(
  session: StreamSession,
  options: AreaReportOptions & { warehouse: Warehouse; note?: (text: string) => void },
): StreamSession {
  return {
    ...session,
    run: async () => {
      const reporter = await startAreaReporter({
        servers: options.servers,
        worker: options.worker,
        intervalMs: options.intervalMs,
        note: options.note,
        build: () => localAreaReport(options.warehouse, session, options.windowSec ?? 1800),
      });
      try {
        return await session.run();
      } finally {
        await reporter.report().catch(() => undefined);
        await reporter.stop();
      }
    },
  };
}

/** This worker's report body: its live counts, with its subscriber and event counts of the same moment. */
export async function localAreaReport(
  warehouse: Warehouse,
  session: StreamSession,
  windowSec: number,
): Promise<Omit<AreaReport, 'worker' | 'intervalMs'>> {
  // Counted in the same tick as the engine's view, which readLocalLiveAreas takes before its warehouse
  // query: read after that await, `events` could count events the view does not hold.
  const subscribers = session.engine.state.count;
  const events = session.engine.counters.events;
  const { running: _running, hint: _hint, ...view } = await readLocalLiveAreas(warehouse, session, { windowSec });
  return { view, subscribers, events };
}
