// Installs a parsed rule file into a running engine: defaults, then geofences, then rules.
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import type { RuleFile } from './parse-rules.ts';

export function applyRuleFile(engine: TriggerEngine, file: RuleFile): void {
  engine.rules.defaults = file.defaults;
  for (const geofence of file.geofences) engine.geofences.define(geofence);
  engine.rules.recompileAll();
  for (const rule of file.rules) engine.rules.upsert(rule);
}
