// The rules a stream starts with, from its rule file and the rule store together. A rule file seeds the
// store; an edit made on the page (or any API call) then wins until the file's own text of that rule
// changes. So a page edit survives a restart of `npm start` (which always passes the example file) with
// its version, a rule deleted on the page stays deleted, and an operator who edits the file still sees
// the file applied. Rules added on the page and absent from the file come back too.
import type { Warehouse } from '../../warehouse/index.ts';
import type { TriggerEngine } from '../engine/trigger-engine.ts';
import type { RuleFile } from './parse-rules.ts';
import type { RuleEntry } from './rule-set.ts';
import {
  canonicalJson,
  lastFileDefinitions,
  latestRuleVersion,
  loadStoredRules,
  recordRuleChange,
  rulesChangedByApi,
  saveGeofence,
  saveRule,
} from './rule-store.ts';

export async function restoreRules(
  engine: TriggerEngine,
  options: { warehouse: Warehouse; file?: RuleFile; nowIso: string },
): Promise<void> {
  const { warehouse, file, nowIso } = options;
  const stored = await loadStoredRules(warehouse);
  if (file) engine.rules.defaults = file.defaults;
  const fileFences = new Set(file?.geofences.map((g) => g.id));
  for (const geofence of file?.geofences ?? []) {
    engine.geofences.define(geofence);
    await saveGeofence(warehouse, geofence, nowIso);
  }
  for (const geofence of stored.geofences) if (!fileFences.has(geofence.id)) engine.geofences.define(geofence);
  engine.rules.recompileAll();

  const storedById = new Map(stored.rules.map((r) => [r.definition.id, r]));
  const seededBefore = await lastFileDefinitions(warehouse);
  const editedSince = await rulesChangedByApi(warehouse);
  const fromFile = new Set<string>();
  for (const rule of file?.rules ?? []) {
    const text = canonicalJson(JSON.stringify(rule));
    const current = storedById.get(rule.id);
    if (current && canonicalJson(JSON.stringify(current.definition)) === text) {
      // Already as the file says: note that the file set it, so that a later page edit is told apart.
      if (seededBefore.get(rule.id) !== text) {
        const entry: RuleEntry = {
          id: rule.id,
          version: current.version,
          paused: current.paused,
          slot: -1,
          definition: current.definition,
        };
        await recordRuleChange(warehouse, { entry, action: 'put', source: 'file' }, nowIso);
      }
      continue;
    }
    if (seededBefore.get(rule.id) === text && editedSince.has(rule.id)) continue; // the page's edit or delete wins
    fromFile.add(rule.id);
    const entry: RuleEntry = engine.rules.upsert(rule, (await latestRuleVersion(warehouse, rule.id)) + 1);
    await saveRule(warehouse, entry, nowIso);
    await recordRuleChange(warehouse, { entry, action: 'put', source: 'file' }, nowIso);
  }
  for (const rule of stored.rules)
    if (!fromFile.has(rule.definition.id))
      engine.rules.upsert({ ...rule.definition, paused: rule.paused }, Math.max(1, rule.version));
}
