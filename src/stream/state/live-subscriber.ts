// Today's facts about one subscriber from the running stream, for the call centre's profile: the cell
// last seen in and the geofences the subscriber is inside, with the (local) time each was entered.
// Reads the engine's arrays only; answers undefined for a number the stream has not seen.
import { areaTypeLabels } from '../../metrics/index.ts';
import { defaultConfig } from '../../config/config.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import { FENCE_WORDS } from './subscriber-state.ts';

export interface LiveSubscriberFacts {
  lastSeenAt: string;
  lines: { zh: string; en: string }[];
}

/** `HH:MM` of an epoch second in the operator's local time. */
function localTime(sec: number, utcOffsetMinutes: number): string {
  return new Date((sec + utcOffsetMinutes * 60) * 1000).toISOString().slice(11, 16);
}

export function describeLiveSubscriber(
  engine: TriggerEngine,
  msisdn: string,
  utcOffsetMinutes = defaultConfig.stream.utcOffsetMinutes,
): LiveSubscriberFacts | undefined {
  const state = engine.state;
  const sub = state.find(msisdn);
  if (sub < 0) return undefined;
  const seenSec = state.lastSeenSec[sub]!;
  if (seenSec === 0) return undefined;
  const lines: { zh: string; en: string }[] = [];
  for (let w = sub * FENCE_WORDS; w < (sub + 1) * FENCE_WORDS; w += 2) {
    const id = state.fences[w]!;
    if (id === 0) continue;
    const definition = engine.geofences.definition(id - 1);
    if (!definition) continue;
    const name = definition.name ?? definition.id;
    const since = localTime(state.fences[w + 1]!, utcOffsetMinutes);
    lines.push({ zh: `${since} 起在${name}区域`, en: `in the ${name} area since ${since}` });
  }
  const cellIndex = state.cell[sub]!;
  const cell = cellIndex >= 0 ? engine.cells.cells[cellIndex] : undefined;
  const seen = localTime(seenSec, utcOffsetMinutes);
  if (cell) {
    const kind = areaTypeLabels[cell.areaType] ?? { zh: cell.areaType, en: cell.areaType };
    lines.push({
      zh: `最近一次 ${seen} 出现在${cell.county}${cell.name}（${kind.zh}）`,
      en: `last seen at ${seen} near ${cell.name}, ${cell.county} (${kind.en})`,
    });
  } else {
    lines.push({ zh: `最近一次出现在 ${seen}`, en: `last seen at ${seen}` });
  }
  return { lastSeenAt: new Date(seenSec * 1000).toISOString(), lines };
}
