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
  return new CellDirectory(
    rows.map((r) => ({
      cellId: r.cell_id,
      name: r.name,
      lat: Number(r.lat),
      lon: Number(r.lon),
      region: r.region,
      county: r.county,
      areaType: r.area_type,
    })),
  );
}
