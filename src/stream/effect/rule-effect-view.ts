// The live page's effect table (GET /api/stream/effect): each rule's (and area's) triggered response
// against its held-out control, with the area names in both languages to show beside the ids.
import type { Warehouse } from '../../warehouse/index.ts';
import type { BilingualText } from '../geofences/area-label.ts';
import { readAreaLabels } from '../live-areas.ts';
import type { StreamSession } from '../stream-session.ts';
import { measureRuleEffect, type RuleEffect } from './rule-effect.ts';

export interface RuleEffectView {
  effect: RuleEffect[];
  areaLabels: Record<string, BilingualText>;
}

export async function describeRuleEffect(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  options: { byArea?: boolean } = {},
): Promise<RuleEffectView> {
  return { effect: await measureRuleEffect(warehouse, options), areaLabels: await readAreaLabels(warehouse, live) };
}
