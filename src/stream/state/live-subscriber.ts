// Today's facts about one subscriber from the running stream, for the call centre's profile: the cell
// last seen in and the geofences the subscriber is inside, with the time each was entered. Event times
// are the operator's local wall time held as if UTC (events/event-time.ts), so they print as they are.
// Reads the engine's arrays only; answers undefined for a number the stream has not seen.
import { areaTypeLabels } from '../../metrics/index.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import type { GeofenceDefinition } from '../geofences/geofences.ts';
import { FENCE_WORDS } from './subscriber-state.ts';

export interface LiveSubscriberFacts {
  /** Local wall time, `YYYY-MM-DD HH:MM:SS`. */
  lastSeenAt: string;
  lines: { zh: string; en: string }[];
}

const wallTime = (sec: number) => new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * A geofence's display name. One without a name is called after its kind of area, or else after the
 * cell the subscriber is in: an agent never reads a rule file's raw id.
 */
function fenceName(definition: GeofenceDefinition, cellName: string | undefined): { zh: string; en: string } {
  if (definition.name) return { zh: definition.name, en: definition.name };
  const kind = definition.area_type?.length === 1 ? areaTypeLabels[definition.area_type[0]!] : undefined;
  const name = cellName ?? definition.id;
  return kind ?? { zh: name, en: name };
}

export function describeLiveSubscriber(engine: TriggerEngine, msisdn: string): LiveSubscriberFacts | undefined {
  const state = engine.state;
  const sub = state.find(msisdn);
  if (sub < 0) return undefined;
  const seenSec = state.lastSeenSec[sub]!;
  if (seenSec === 0) return undefined;
  const cellIndex = state.cell[sub]!;
  const cell = cellIndex >= 0 ? engine.cells.cells[cellIndex] : undefined;
  const lines: { zh: string; en: string }[] = [];
  for (let w = sub * FENCE_WORDS; w < (sub + 1) * FENCE_WORDS; w += 2) {
    const id = state.fences[w]!;
    if (id === 0) continue;
    const definition = engine.geofences.definition(id - 1);
    if (!definition) continue;
    const name = fenceName(definition, cell?.name);
    const since = wallTime(state.fences[w + 1]!).slice(11, 16);
    lines.push({ zh: `${since} 起在${name.zh}区域`, en: `in the ${name.en} area since ${since}` });
  }
  const seen = wallTime(seenSec).slice(11, 16);
  if (cell) {
    const kind = areaTypeLabels[cell.areaType] ?? { zh: cell.areaType, en: cell.areaType };
    lines.push({
      zh: `最近一次 ${seen} 出现在${cell.county}${cell.name}（${kind.zh}）`,
      en: `last seen at ${seen} near ${cell.name}, ${cell.county} (${kind.en})`,
    });
  } else {
    lines.push({ zh: `最近一次出现在 ${seen}`, en: `last seen at ${seen}` });
  }
  return { lastSeenAt: wallTime(seenSec), lines };
}
