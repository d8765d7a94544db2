// A worker of the partitioned stream that reports its live area counts while it runs (area-reporter.ts),
// and once more when it stops, so the board holds its final counts until they go stale.
import type { Warehouse } from '../../warehouse/index.ts';
import { readLocalLiveAreas } from '../live-areas.ts';
import type { WorkerSlot } from '../partitions/partition-of.ts';
import type { StreamSession } from '../stream-session.ts';
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
        build: async () => {
          const {
            running: _running,
            hint: _hint,
            ...view
          } = await readLocalLiveAreas(options.warehouse, session, {
            windowSec: options.windowSec ?? 1800,
          });
          return { view, subscribers: session.engine.state.count, events: session.engine.counters.events };
        },
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
