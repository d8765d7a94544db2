// A geofence's name in both languages for the pages: its own name (Chinese, as the rule file gives it)
// and the English of the demo's places; an area the demo does not know is shown by its id in English.
import { englishPlaceName } from '../../demo/index.ts';
import type { GeofenceDefinition } from './geofences.ts';

export interface BilingualText {
  zh: string;
  en: string;
}

export function labelArea(definition: Pick<GeofenceDefinition, 'id' | 'name'>): BilingualText {
  const zh = definition.name ?? definition.id;
  return { zh, en: englishPlaceName(zh) ?? definition.id };
}

export function labelPlace(name: string): BilingualText {
  return { zh: name, en: englishPlaceName(name) ?? name };
}
