// Rules and geofences kept in the warehouse, so that edits made through the API survive a restart:
// `stream_rules` holds each rule as it is now (with its version), `stream_rule_changes` every change.
import type { Warehouse } from '../../warehouse/index.ts';
import type { GeofenceDefinition } from '../geofences/geofences.ts';
import type { RuleEntry } from './rule-set.ts';
import type { RuleDefinition } from './rule-schema.ts';

export type RuleChangeAction = 'put' | 'pause' | 'resume' | 'delete';
/** `file`: a rule file applied when a stream started; `api`: the page or a script. */
export type RuleChangeSource = 'file' | 'api';

export interface StoredRule {
  definition: RuleDefinition;
  version: number;
  paused: boolean;
}

export async function saveRule(warehouse: Warehouse, entry: RuleEntry, nowIso: string): Promise<void> {
  await warehouse.run(
    `INSERT OR REPLACE INTO stream_rules (rule_id, version, paused, definition, updated_at) VALUES (?, ?, ?, ?, ?)`,
    [entry.id, entry.version, entry.paused, JSON.stringify(entry.definition), nowIso],
  );
}

export async function deleteRule(warehouse: Warehouse, id: string): Promise<void> {
  await warehouse.run('DELETE FROM stream_rules WHERE rule_id = ?', [id]);
}

export async function recordRuleChange(
  warehouse: Warehouse,
  change: { entry: RuleEntry; action: RuleChangeAction; source: RuleChangeSource },
  nowIso: string,
): Promise<void> {
  await warehouse.run(
    `INSERT INTO stream_rule_changes (rule_id, version, action, source, definition, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [
      change.entry.id,
      change.entry.version,
      change.action,
      change.source,
      JSON.stringify(change.entry.definition),
      nowIso,
    ],
  );
}

/** The highest version a rule ever had, deleted or not (0 for a new id): a new version goes above it. */
export async function latestRuleVersion(warehouse: Warehouse, id: string): Promise<number> {
  return warehouse.scalar(
    `SELECT max(version) FROM (
       SELECT version FROM stream_rules WHERE rule_id = ?
       UNION ALL SELECT version FROM stream_rule_changes WHERE rule_id = ?)`,
    [id, id],
  );
}

/** Per rule id, the definition its rule file had when a file last set it (JSON text as stored). */
export async function lastFileDefinitions(warehouse: Warehouse): Promise<Map<string, string>> {
  const rows = await warehouse.all<{ rule_id: string; definition: string }>(
    `SELECT rule_id, arg_max(definition, change_id)::VARCHAR AS definition
     FROM stream_rule_changes WHERE source = 'file' GROUP BY rule_id`,
  );
  return new Map(rows.map((r) => [r.rule_id, canonicalJson(r.definition)]));
}

/** Whether a rule was changed through the API after its file last set it (or ever, when no file did). */
export async function rulesChangedByApi(warehouse: Warehouse): Promise<Set<string>> {
  const rows = await warehouse.all<{ rule_id: string }>(
    `SELECT rule_id FROM stream_rule_changes GROUP BY rule_id
     HAVING max(change_id) FILTER (WHERE source = 'api') > coalesce(max(change_id) FILTER (WHERE source = 'file'), 0)`,
  );
  return new Set(rows.map((r) => r.rule_id));
}

/** JSON text in one spelling, so a stored definition compares equal to the same definition parsed again. */
export function canonicalJson(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

export async function saveGeofence(warehouse: Warehouse, geofence: GeofenceDefinition, nowIso: string): Promise<void> {
  await warehouse.run(
    `INSERT OR REPLACE INTO stream_geofences (geofence_id, definition, updated_at) VALUES (?, ?, ?)`,
    [geofence.id, JSON.stringify(geofence), nowIso],
  );
}

export async function loadStoredRules(
  warehouse: Warehouse,
): Promise<{ geofences: GeofenceDefinition[]; rules: StoredRule[] }> {
  const fences = await warehouse.all<{ definition: string }>(
    'SELECT definition FROM stream_geofences ORDER BY geofence_id',
  );
  const rules = await warehouse.all<{ definition: string; paused: boolean; version: number }>(
    'SELECT definition, paused, version FROM stream_rules ORDER BY rule_id',
  );
  return {
    geofences: fences.map((f) => JSON.parse(f.definition) as GeofenceDefinition),
    rules: rules.map((r) => ({
      definition: JSON.parse(r.definition) as RuleDefinition,
      paused: r.paused,
      version: Number(r.version),
    })),
  };
}
