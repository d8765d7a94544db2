// Rules and geofences kept in the warehouse, so that edits made through the API survive a restart.
import type { Warehouse } from '../../warehouse/index.ts';
import type { GeofenceDefinition } from '../geofences/geofences.ts';
import type { RuleEntry } from './rule-set.ts';
import type { RuleDefinition } from './rule-schema.ts';

export async function saveRule(warehouse: Warehouse, entry: RuleEntry, nowIso: string): Promise<void> {
  await warehouse.run(
    `INSERT OR REPLACE INTO stream_rules (rule_id, version, paused, definition, updated_at) VALUES (?, ?, ?, ?, ?)`,
    [entry.id, entry.version, entry.paused, JSON.stringify(entry.definition), nowIso],
  );
}

export async function deleteRule(warehouse: Warehouse, id: string): Promise<void> {
  await warehouse.run('DELETE FROM stream_rules WHERE rule_id = ?', [id]);
}

export async function saveGeofence(warehouse: Warehouse, geofence: GeofenceDefinition, nowIso: string): Promise<void> {
  await warehouse.run(
    `INSERT OR REPLACE INTO stream_geofences (geofence_id, definition, updated_at) VALUES (?, ?, ?)`,
    [geofence.id, JSON.stringify(geofence), nowIso],
  );
}

export async function loadStoredRules(
  warehouse: Warehouse,
): Promise<{ geofences: GeofenceDefinition[]; rules: { definition: RuleDefinition; paused: boolean }[] }> {
  const fences = await warehouse.all<{ definition: string }>(
    'SELECT definition FROM stream_geofences ORDER BY geofence_id',
  );
  const rules = await warehouse.all<{ definition: string; paused: boolean }>(
    'SELECT definition, paused FROM stream_rules ORDER BY rule_id',
  );
  return {
    geofences: fences.map((f) => JSON.parse(f.definition) as GeofenceDefinition),
    rules: rules.map((r) => ({ definition: JSON.parse(r.definition) as RuleDefinition, paused: r.paused })),
  };
}
