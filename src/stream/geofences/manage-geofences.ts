// Geofence edits from the API: validated, applied to the running engine (rules recompiled), and kept
// in the geofence store for the next start.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import { describeProblems, validateGeofence } from '../rules/parse-rules.ts';
import { withPathId } from '../rules/with-path-id.ts';
import { loadRuleReferences } from '../rules/rule-references.ts';
import { loadStoredRules, saveGeofence } from '../rules/rule-store.ts';
import type { FactsSource } from '../facts/facts-source.ts';
import type { StreamSession } from '../stream-session.ts';
import type { GeofenceDefinition } from './geofences.ts';

export interface GeofenceView {
  definition: GeofenceDefinition;
  /** Cells inside, when a stream runs (it knows the cells). */
  cells?: number;
}

/** The answer of GET /api/stream/geofences. */
export interface GeofenceList {
  geofences: GeofenceView[];
}

export function manageGeofences(deps: {
  warehouse: Warehouse;
  /** Where the cells and services a geofence names are checked (default: the file). */
  facts?: FactsSource;
  clock: Clock;
  live: () => StreamSession | undefined;
}) {
  const nowIso = () => sqlTimestamp(deps.clock.now());
  return {
    async list(): Promise<GeofenceView[]> {
      const live = deps.live();
      if (live) {
        const fences = live.engine.geofences;
        return fences
          .all()
          .map((definition) => ({ definition, cells: fences.cellCountOf(fences.idOf(definition.id)!) }));
      }
      return (await loadStoredRules(deps.warehouse)).geofences.map((definition) => ({ definition }));
    },

    async put(id: string, body: unknown): Promise<GeofenceView> {
      const live = deps.live();
      const result = validateGeofence(
        withPathId(id, body, 'geofence'),
        await loadRuleReferences(deps.facts ?? deps.warehouse, live?.engine.cells),
      );
      if ('problems' in result)
        throw new AppError('RULE_INVALID', describeProblems(result.problems), { location: { path: `geofence ${id}` } });
      // One queued write: the engine and the store see concurrent edits in the same order.
      const cells = await deps.warehouse.write(async (tx) => {
        let cells: number | undefined;
        if (live) {
          const fence = live.engine.geofences.define(result.geofence);
          live.engine.rules.recompileAll();
          cells = live.engine.geofences.cellCountOf(fence);
        }
        await saveGeofence(tx, result.geofence, nowIso());
        return cells;
      });
      return { definition: result.geofence, ...(cells === undefined ? {} : { cells }) };
    },
  };
}
