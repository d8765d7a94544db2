// The live page's area view: the engine's counts now (present, callers of the watched numbers in the
// window) beside the cumulative outcome of its decisions from the warehouse, with area names in both
// languages. No stream in this process is a state to show, not an error.
import type { Warehouse } from '../warehouse/index.ts';
import type { MergedLiveAreas } from './live/area-report.ts';
import { getLiveAreaBoard } from './live-stream.ts';
import { type AreaRow, type CellRow, summariseAreas } from './engine/area-view.ts';
import { type BilingualText, labelArea } from './geofences/area-label.ts';
import { measureAreaOutcomes } from './outbox/area-outcomes.ts';
import { loadStoredRules } from './rules/rule-store.ts';
import type { StreamSession } from './stream-session.ts';

/** An area now, with the outcome of its decisions since the stream started. */
export interface LiveAreaRow extends AreaRow {
  label: BilingualText;
  /** The same as `sent`, kept for callers of the earlier answer. */
  messages: number;
  sent: number;
  delivered: number;
  failed: number;
  responses: number;
  controlResponses: number;
}

/** The answer of GET /api/stream/areas. */
export interface LiveAreas {
  running: boolean;
  /** Why nothing is shown, when no stream runs. */
  hint?: string;
  watermark: number;
  windowSec: number;
  areas: LiveAreaRow[];
  cells: CellRow[];
}

/** The answer of GET /api/stream/areas: this process's stream, or the sum over the workers that report. */
export type LiveAreasAnswer = LiveAreas | MergedLiveAreas;

/**
 * The live areas this server shows: with workers reporting (a partitioned stream), the sum over them
 * (their window is the reported one, 30 minutes); otherwise the stream running in this process.
 */
export async function readLiveAreas(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  options: { windowSec: number },
): Promise<LiveAreasAnswer> {
  const board = getLiveAreaBoard();
  if (board) return board.merged();
  return readLocalLiveAreas(warehouse, live, options);
}

/** This process's own stream: its subscribers' counts as of the call (taken before any await), and its --db file's outcomes. */
export async function readLocalLiveAreas(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  options: { windowSec: number },
): Promise<LiveAreas> {
  if (!live) {
    return {
      running: false,
      hint: 'no stream runs in this server: `npm start`, or `telmark stream --source … --serve`',
      watermark: 0,
      windowSec: options.windowSec,
      areas: [],
      cells: [],
    };
  }
  const view = summariseAreas(live.engine, { windowSec: options.windowSec });
  const outcomes = await measureAreaOutcomes(warehouse);
  return {
    running: true,
    ...view,
    areas: view.areas.map((a) => {
      const o = outcomes.get(a.area);
      return {
        ...a,
        label: labelArea({ id: a.area, name: a.name }),
        // `messages` is kept for callers of the earlier answer: the same as `sent`.
        messages: o?.sent ?? 0,
        sent: o?.sent ?? 0,
        delivered: o?.delivered ?? 0,
        failed: o?.failed ?? 0,
        responses: o?.responses ?? 0,
        controlResponses: o?.controlResponses ?? 0,
      };
    }),
  };
}

/** Each geofence's name in both languages, from the running stream or else the rule store. */
export async function readAreaLabels(
  warehouse: Warehouse,
  live: StreamSession | undefined,
): Promise<Record<string, BilingualText>> {
  const fences = live ? live.engine.geofences.all() : (await loadStoredRules(warehouse)).geofences;
  return Object.fromEntries(fences.map((g) => [g.id, labelArea(g)]));
}
