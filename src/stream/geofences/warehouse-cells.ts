// The cell directory of the warehouse's cells feed (empty when none is loaded), from the DuckDB file or
// the ClickHouse cluster (a copy on every shard: the same rows from any).
import { type FactsSource, hasFactsTable } from '../facts/facts-source.ts';
import { CellDirectory } from './cell-directory.ts';

export async function readWarehouseCells(warehouse: FactsSource): Promise<CellDirectory> {
  if (!(await hasFactsTable(warehouse, 'cells'))) return new CellDirectory();
  const rows = await warehouse.all<{
    cell_id: string;
    name: string;
    lat: number;
    lon: number;
    region: string;
    county: string;
    area_type: string;
  }>('SELECT cell_id, name, lat, lon, region, county, area_type FROM cells ORDER BY cell_id');
  // ClickHouse 18.16 reads CSV floats with a fast, inexact parser (23.75943 becomes 23.759430000000002);
  // the feed gives coordinates to a few decimals, so rounding to 7 (a centimetre) gives back its value,
  // and geofence radii and the map see the same cells on both engines.
  const coordinate = warehouse.engine === 'clickhouse' ? (v: number) => Math.round(Number(v) * 1e7) / 1e7 : Number;
  return new CellDirectory(
    rows.map((r) => ({
      cellId: r.cell_id,
      name: r.name,
      lat: coordinate(r.lat),
      lon: coordinate(r.lon),
      region: r.region,
      county: r.county,
      areaType: r.area_type,
    })),
  );
}
