// The live area counts of a stream split over N workers: each worker counts only its own subscribers
// (a subscriber's events all go to one partition, so to one worker), publishes what it counts as a
// report every few seconds, and whoever shows the page adds the reports up. Sums are exact: present
// subscribers and callers are distinct per worker, because no subscriber is on two workers.
// A report that stopped coming (the worker stopped, was killed, or lost its link) goes stale after a
// few intervals: it is then left out of the sum and shown as stale, never summed forever.
import type { AreaRow, CellRow } from '../engine/area-view.ts';
import type { BilingualText } from '../geofences/area-label.ts';
import type { LiveAreaRow, LiveAreas } from '../live-areas.ts';

/** The NATS subject a worker's report goes to; the board listens to all of them. */
export const AREA_REPORT_SUBJECT = 'telmark.live.areas';
export const areaReportSubject = (worker: { index: number; count: number }) =>
  `${AREA_REPORT_SUBJECT}.${worker.index}-of-${worker.count}`;

export interface AreaReport {
  worker: { index: number; count: number };
  /** How often this worker reports; the board judges staleness by it. */
  intervalMs: number;
  /** The worker's own live areas (its subscribers, its decisions' outcomes from its --db file). */
  view: Omit<LiveAreas, 'running' | 'hint'>;
  subscribers: number;
  events: number;
}

/** One worker as the merged answer shows it. */
export interface WorkerReportStatus {
  worker: string;
  /** Seconds since its last report arrived; null: none arrived yet though another worker names its slot. */
  ageSec: number | null;
  /** No report within `staleAfter` intervals: its counts are left out of the sums. */
  stale: boolean;
  watermark: number;
  subscribers: number;
  events: number;
}

/** The answer of GET /api/stream/areas when workers report: the sum over the fresh ones, and each one's state. */
export interface MergedLiveAreas extends LiveAreas {
  workers: WorkerReportStatus[];
  /** Every worker slot has a fresh report: the counts are the whole stream's. */
  complete: boolean;
  /** Why the counts are partial, for the page. */
  partial?: BilingualText;
}

export interface ReceivedReport {
  report: AreaReport;
  receivedAtMs: number;
}

/**
 * Adds the fresh reports up. A report is fresh while it is younger than `staleAfter` of its own
 * intervals (default 3). The watermark is the earliest of the fresh workers' watermarks: the sums are
 * complete up to there.
 */
export function mergeAreaReports(
  received: readonly ReceivedReport[],
  options: { nowMs: number; staleAfter?: number },
): MergedLiveAreas {
  const staleAfter = options.staleAfter ?? 3;
  const isFresh = (r: ReceivedReport) => options.nowMs - r.receivedAtMs <= staleAfter * r.report.intervalMs;
  const fresh = received.filter(isFresh);
  const count = Math.max(0, ...received.map((r) => r.report.worker.count));
  const slot = (w: { index: number; count: number }) => `${w.index}/${w.count}`;
  const workers: WorkerReportStatus[] = received
    .map(
      (r): WorkerReportStatus => ({
        worker: slot(r.report.worker),
        ageSec: Math.round((options.nowMs - r.receivedAtMs) / 100) / 10,
        stale: !isFresh(r),
        watermark: r.report.view.watermark,
        subscribers: r.report.subscribers,
        events: r.report.events,
      }),
    )
    .concat(
      Array.from({ length: count }, (_, index) => ({ index, count }))
        .filter((w) => !received.some((r) => slot(r.report.worker) === slot(w)))
        .map(
          (w): WorkerReportStatus => ({
            worker: slot(w),
            ageSec: null,
            stale: true,
            watermark: 0,
            subscribers: 0,
            events: 0,
          }),
        ),
    )
    .sort((a, b) => a.worker.localeCompare(b.worker, 'en', { numeric: true }));
  const areas = new Map<string, LiveAreaRow>();
  const cells = new Map<string, CellRow>();
  for (const { report } of fresh) {
    for (const row of report.view.areas) {
      const sum = areas.get(row.area);
      areas.set(row.area, sum ? addArea(sum, row) : { ...row, callers: { ...row.callers } });
    }
    for (const cell of report.view.cells) {
      const sum = cells.get(cell.cellId);
      if (sum) {
        sum.present += cell.present;
        sum.callers = addCallers(sum.callers, cell.callers);
      } else cells.set(cell.cellId, { ...cell, callers: { ...cell.callers } });
    }
  }
  const staleCount = workers.filter((w) => w.stale).length;
  const complete = count > 0 && staleCount === 0 && fresh.every((r) => r.report.worker.count === count);
  return {
    running: fresh.length > 0,
    ...(fresh.length === 0
      ? { hint: 'no stream worker has reported lately: start the workers (telmark stream --nats … --worker i/N)' }
      : {}),
    watermark: fresh.length > 0 ? Math.min(...fresh.map((r) => r.report.view.watermark)) : 0,
    windowSec: fresh[0]?.report.view.windowSec ?? 1800,
    areas: [...areas.values()],
    cells: [...cells.values()],
    workers,
    complete,
    ...(complete
      ? {}
      : {
          partial: {
            zh: `${staleCount} 个处理进程没有及时上报，其计数未计入合计`,
            en:
              staleCount === 1
                ? '1 worker did not report in time; its counts are left out of the totals'
                : `${staleCount} workers did not report in time; their counts are left out of the totals`,
          },
        }),
  };
}

const summed = ['present', 'enters', 'leaves', 'triggered', 'control', 'suppressed', 'events'] as const;
const outcomes = ['messages', 'sent', 'delivered', 'failed', 'responses', 'controlResponses'] as const;

function addArea(sum: LiveAreaRow, row: LiveAreaRow): LiveAreaRow {
  const next: LiveAreaRow = { ...sum, callers: addCallers(sum.callers, row.callers) };
  for (const key of summed) next[key] = sum[key] + row[key];
  for (const key of outcomes) next[key] = sum[key] + row[key];
  return next;
}

function addCallers(a: AreaRow['callers'], b: AreaRow['callers']): AreaRow['callers'] {
  const sum = { ...a };
  for (const [peer, n] of Object.entries(b)) sum[peer] = (sum[peer] ?? 0) + n;
  return sum;
}
