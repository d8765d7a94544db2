// The live page's map: county outlines traced from the cells (county-outlines.ts), geofences as shapes,
// and per cell the subscribers present now and the callers of 114 and 12580 in the window; with a place
// picked (a cell, a geofence or a county), who is there now by brand and the rules that watch it. From
// the running stream when there is one; otherwise from the warehouse (cells, stored geofences and rules,
// no counts).
import { brands } from '../../feeds/contract.ts';
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { FactsSource } from '../facts/facts-source.ts';
import { summariseAreas } from '../engine/area-view.ts';
import { type BilingualText, labelArea, labelPlace } from '../geofences/area-label.ts';
import type { CellDirectory } from '../geofences/cell-directory.ts';
import { Geofences } from '../geofences/geofences.ts';
import { readWarehouseCells } from '../geofences/warehouse-cells.ts';
import type { RuleDefinition } from '../rules/rule-schema.ts';
import { loadStoredRules } from '../rules/rule-store.ts';
import type { SubscriberState } from '../state/subscriber-state.ts';
import type { StreamSession } from '../stream-session.ts';
import { type CountyOutlines, traceCountyOutlines } from './county-outlines.ts';
import { geofenceShape } from './geofence-shapes.ts';

/** Who counts as present: seen within this long before the stream's latest event (as the area view). */
const PRESENT_WITHIN_SEC = 4 * 3600;

interface MapContext {
  cells: CellDirectory;
  geofences: Geofences;
  rules: { id: string; version: number; paused: boolean; definition: RuleDefinition }[];
  state?: SubscriberState;
  nowSec: number;
}

/** Without a stream, the cells come from the facts (the file, or the ClickHouse cluster) and the rules from the file. */
async function mapContext(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  facts: FactsSource = warehouse,
): Promise<MapContext> {
  if (live) {
    const engine = live.engine;
    return {
      cells: engine.cells,
      geofences: engine.geofences,
      rules: engine.rules.list(),
      state: engine.state,
      nowSec: Math.floor(engine.watermarkMs / 1000),
    };
  }
  const cells = await readWarehouseCells(facts);
  const geofences = new Geofences(cells);
  const stored = await loadStoredRules(warehouse);
  for (const fence of stored.geofences) {
    try {
      geofences.define(fence);
    } catch {
      // A stored fence whose centre cell left the cells feed draws nothing; the stream reports it at start.
    }
  }
  return {
    cells,
    geofences,
    rules: stored.rules.map((r) => ({
      id: r.definition.id,
      version: r.version,
      paused: r.paused,
      definition: r.definition,
    })),
    nowSec: 0,
  };
}

// Tracing takes a tenth of a second: once per set of cells.
let outlineCache: { key: string; outlines: CountyOutlines } | undefined;
function outlinesOf(cells: CellDirectory): CountyOutlines {
  const key = `${cells.size}:${cells.version}:${cells.cells[0]?.cellId ?? ''}:${cells.cells.at(-1)?.cellId ?? ''}`;
  if (outlineCache?.key !== key) outlineCache = { key, outlines: traceCountyOutlines(cells.cells) };
  return outlineCache.outlines;
}

/** The answer of GET /api/stream/map: outlines, cells with their counts now, geofence shapes. */
export interface LiveMapView {
  running: boolean;
  watermark: number;
  outlines: CountyOutlines;
  counties: { name: string; label: BilingualText }[];
  cells: {
    cellId: string;
    label: BilingualText;
    lat: number;
    lon: number;
    county: string;
    areaType: string;
    present: number;
    /** Callers of 114 and 12580 in the window. */
    callers: number;
  }[];
  /** Each geofence as GeoJSON MultiPolygon coordinates. */
  geofences: { id: string; label: BilingualText; coordinates: number[][][][] }[];
}

export async function readLiveMap(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  facts: FactsSource = warehouse,
): Promise<LiveMapView> {
  const context = await mapContext(warehouse, live, facts);
  const view = live ? summariseAreas(live.engine, { windowSec: 1800 }) : undefined;
  const counts = new Map(view?.cells.map((c) => [c.cellId, c]));
  const outlines = outlinesOf(context.cells);
  return {
    running: live !== undefined,
    watermark: live?.engine.watermarkMs ?? 0,
    outlines,
    counties: outlines.features.map((f) => ({ name: f.properties.name, label: labelPlace(f.properties.name) })),
    cells: context.cells.cells
      .filter((c) => Number.isFinite(c.lat))
      .map((c) => {
        const count = counts.get(c.cellId);
        return {
          cellId: c.cellId,
          label: labelPlace(c.name),
          lat: c.lat,
          lon: c.lon,
          county: c.county,
          areaType: c.areaType,
          present: count?.present ?? 0,
          callers: (count?.callers['114'] ?? 0) + (count?.callers['12580'] ?? 0),
        };
      }),
    geofences: context.geofences.all().map((g) => ({
      id: g.id,
      label: labelArea(g),
      coordinates: geofenceShape(g, context),
    })),
  };
}

export type PlaceKind = 'cell' | 'area' | 'county';

export interface PlaceDetail {
  kind: PlaceKind;
  id: string;
  label: BilingualText;
  running: boolean;
  cells: number;
  present: number;
  /** Subscribers present now, by brand (brands of the contract, then `unknown`). */
  brands: { brand: string; subscribers: number }[];
  /** Rules whose geofences cover the place (any of its cells), and rules that fire anywhere. */
  rules: { id: string; version: number; paused: boolean; areas: BilingualText[]; description: string | null }[];
}

export async function describePlace(
  warehouse: Warehouse,
  live: StreamSession | undefined,
  place: { kind: PlaceKind; id: string },
  facts: FactsSource = warehouse,
): Promise<PlaceDetail> {
  const context = await mapContext(warehouse, live, facts);
  const { cells, geofences } = context;
  let members: number[];
  let label: BilingualText;
  if (place.kind === 'cell') {
    const at = cells.find(place.id);
    if (at === undefined) throw notFound(place);
    members = [at];
    label = labelPlace(cells.cells[at]!.name);
  } else if (place.kind === 'area') {
    const id = geofences.idOf(place.id);
    if (id === undefined) throw notFound(place);
    members = geofences.cellsIn(id);
    label = labelArea(geofences.definition(id)!);
  } else {
    members = cells.cells.flatMap((c, at) => (c.county === place.id ? [at] : []));
    if (members.length === 0) throw notFound(place);
    label = labelPlace(place.id);
  }
  const memberSet = new Set(members);
  const fencesHere = new Set<number>();
  for (const at of members) for (const fence of geofences.fencesOfCell(at)) fencesHere.add(fence);
  const fenceIds = new Set([...fencesHere].map((f) => geofences.nameOf(f)));

  const byBrand = new Map<string, number>();
  let present = 0;
  const state = context.state;
  if (state) {
    for (let sub = 0; sub < state.count; sub++) {
      if (context.nowSec - state.lastSeenSec[sub]! > PRESENT_WITHIN_SEC) continue;
      if (!memberSet.has(state.cell[sub]!)) continue;
      present++;
      const brand = brands[state.brand[sub]!] ?? 'unknown';
      byBrand.set(brand, (byBrand.get(brand) ?? 0) + 1);
    }
  }
  return {
    kind: place.kind,
    id: place.id,
    label,
    running: state !== undefined,
    cells: members.length,
    present,
    brands: [...brands, 'unknown']
      .map((brand) => ({ brand, subscribers: byBrand.get(brand) ?? 0 }))
      .filter((b) => b.subscribers > 0 || b.brand !== 'unknown'),
    rules: context.rules
      .filter((r) => !r.definition.where || r.definition.where.geofences.some((g) => fenceIds.has(g)))
      .map((r) => ({
        id: r.id,
        version: r.version,
        paused: r.paused,
        areas: (r.definition.where?.geofences ?? []).map((g) => {
          const id = geofences.idOf(g);
          return id === undefined ? labelPlace(g) : labelArea(geofences.definition(id)!);
        }),
        description: r.definition.description ?? null,
      })),
  };
}

function notFound(place: { kind: PlaceKind; id: string }): AppError {
  return new AppError('NOT_FOUND', `no ${place.kind} "${place.id}" on the map`, {
    hint: 'GET /api/stream/map lists the cells, geofences and counties',
  });
}
