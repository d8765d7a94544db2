// What rules and geofences may name: the cells, counties and regions of the cells feed, the area types of
// the contract, and the services of the services feed. A name outside them is a problem reported with
// the others (a typo in a county would otherwise make an empty geofence and a rule that never fires).
import { areaTypes } from '../../feeds/contract.ts';
import { type FactsSource, hasFactsTable } from '../facts/facts-source.ts';
import type { CellDirectory } from '../geofences/cell-directory.ts';
import type { GeofenceDefinition } from '../geofences/geofences.ts';
import type { RuleDefinition } from './rule-schema.ts';

/** Known names; a kind left out is not checked (e.g. no services feed loaded). */
export interface RuleReferences {
  cells?: ReadonlySet<string>;
  counties?: ReadonlySet<string>;
  regions?: ReadonlySet<string>;
  services?: ReadonlySet<string>;
}

export interface ReferenceProblem {
  path: string;
  message: string;
}

/** The names a cell directory knows (none when it is empty, so nothing is checked against it). */
export function referencesOfCells(directory: CellDirectory): RuleReferences {
  if (directory.size === 0) return {};
  return {
    cells: new Set(directory.cells.map((c) => c.cellId)),
    counties: new Set(directory.cells.map((c) => c.county)),
    regions: new Set(directory.cells.map((c) => c.region)),
  };
}

/** Cells (from the given directory, else the warehouse's cells table) and services from the warehouse. */
export async function loadRuleReferences(warehouse: FactsSource, cells?: CellDirectory): Promise<RuleReferences> {
  const references: RuleReferences = cells ? referencesOfCells(cells) : {};
  if (!cells && (await hasFactsTable(warehouse, 'cells'))) {
    const rows = await warehouse.all<{ cell_id: string; county: string; region: string }>(
      'SELECT cell_id, county, region FROM cells',
    );
    if (rows.length > 0) {
      references.cells = new Set(rows.map((r) => r.cell_id));
      references.counties = new Set(rows.map((r) => r.county));
      references.regions = new Set(rows.map((r) => r.region));
    }
  }
  if (await hasFactsTable(warehouse, 'services')) {
    const rows = await warehouse.all<{ service_id: string }>('SELECT service_id FROM services');
    if (rows.length > 0) references.services = new Set(rows.map((r) => r.service_id));
  }
  return references;
}

export function checkGeofenceReferences(geofence: GeofenceDefinition, known: RuleReferences): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const unknown = (path: string, what: string, names: readonly string[] | undefined, set?: ReadonlySet<string>) => {
    if (!set || !names) return;
    const missing = names.filter((n) => !set.has(n));
    if (missing.length > 0)
      problems.push({
        path,
        message: `unknown ${what} ${missing.map((n) => `"${n}"`).join(', ')} (not in the cells feed)`,
      });
  };
  unknown('cells', 'cell', geofence.cells, known.cells);
  unknown('county', 'county', geofence.county, known.counties);
  unknown('region', 'region', geofence.region, known.regions);
  if (geofence.centre && 'cell' in geofence.centre) unknown('centre.cell', 'cell', [geofence.centre.cell], known.cells);
  const types = (geofence.area_type ?? []).filter((t) => !(areaTypes as readonly string[]).includes(t));
  if (types.length > 0)
    problems.push({
      path: 'area_type',
      message: `unknown area type ${types.map((t) => `"${t}"`).join(', ')} (one of ${areaTypes.join(', ')})`,
    });
  return problems;
}

export function checkRuleReferences(rule: RuleDefinition, known: RuleReferences): ReferenceProblem[] {
  if (!known.services || rule.service === undefined || known.services.has(rule.service)) return [];
  return [{ path: 'service', message: `unknown service "${rule.service}" (not in the services feed)` }];
}
