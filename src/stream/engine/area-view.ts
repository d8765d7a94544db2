// The live area view of the 12580 case: per geofence, who is there now, who called 114 and 12580 in the
// window, and the decisions made; per cell, activity for the map. Computed on demand by one pass over
// the subscriber arrays (a million subscribers take a few tens of milliseconds).
import type { TriggerEngine } from './trigger-engine.ts';

export interface AreaRow {
  area: string;
  name: string;
  cells: number;
  present: number;
  /** Distinct present subscribers who called each watched number in the window, by number. */
  callers: Record<string, number>;
  /** Signalling events in the area's cells since the stream started. */
  events: number;
  enters: number;
  leaves: number;
  triggered: number;
  control: number;
  suppressed: number;
}

export interface CellRow {
  cellId: string;
  name: string;
  lat: number;
  lon: number;
  areaType: string;
  present: number;
  callers: Record<string, number>;
}

export interface AreaView {
  watermark: number;
  windowSec: number;
  areas: AreaRow[];
  cells: CellRow[];
}

export function summariseAreas(
  engine: TriggerEngine,
  options: { windowSec?: number; presentWithinSec?: number } = {},
): AreaView {
  const windowSec = options.windowSec ?? 1800;
  const presentWithinSec = options.presentWithinSec ?? 4 * 3600;
  const nowSec = Math.floor(engine.watermarkMs / 1000);
  const state = engine.state;
  const fences = engine.geofences.all().map((g) => engine.geofences.idOf(g.id)!);
  const fenceCount = Math.max(0, ...fences.map((f) => f + 1));
  const watched = engine.watched;
  const present = new Int32Array(fenceCount);
  const fenceCallers = watched.map(() => new Int32Array(fenceCount));
  const cellPresent = new Int32Array(engine.cells.size);
  const cellCallers = watched.map(() => new Int32Array(engine.cells.size));
  for (let sub = 0; sub < state.count; sub++) {
    if (nowSec - state.lastSeenSec[sub]! > presentWithinSec) continue;
    const cell = state.cell[sub]!;
    const inside = state.fencesOf(sub);
    if (cell >= 0) cellPresent[cell]!++;
    watched.forEach((w, k) => {
      if (state.countHits(sub, w.signal, nowSec - windowSec, nowSec) === 0) return;
      if (cell >= 0) cellCallers[k]![cell]!++;
      for (const fence of inside) fenceCallers[k]![fence]!++;
    });
    for (const fence of inside) present[fence]!++;
  }
  const callersOf = (arrays: Int32Array[], at: number) =>
    Object.fromEntries(watched.map((w, k) => [w.peer, arrays[k]![at]!])) as Record<string, number>;
  return {
    watermark: engine.watermarkMs,
    windowSec,
    areas: fences.map((fence) => {
      const definition = engine.geofences.definition(fence)!;
      const counts = engine.areas.of(fence);
      return {
        area: definition.id,
        name: definition.name ?? definition.id,
        cells: engine.geofences.cellCountOf(fence),
        present: present[fence]!,
        callers: callersOf(fenceCallers, fence),
        ...counts,
      };
    }),
    cells: engine.cells.cells
      .map((c, at) => ({
        cellId: c.cellId,
        name: c.name,
        lat: c.lat,
        lon: c.lon,
        areaType: c.areaType,
        present: cellPresent[at]!,
        callers: callersOf(cellCallers, at),
      }))
      .filter((c) => !Number.isNaN(c.lat)),
  };
}
