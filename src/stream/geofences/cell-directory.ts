// The radio cells the stream knows (the `cells` feed): id → index, with coordinates and area attributes.
// The stream loop turns away events of cells missing from the feed (engine/event-gate.ts); `indexOf`
// still adds one without coordinates for callers that feed the engine directly (tests, snapshots).
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';

export interface Cell {
  cellId: string;
  name: string;
  lat: number;
  lon: number;
  region: string;
  county: string;
  areaType: string;
}

export class CellDirectory {
  private readonly byId = new Map<string, number>();
  readonly cells: Cell[] = [];
  /** Bumped when a cell is added, so geofences know to extend their cell tables. */
  version = 0;

  constructor(cells: readonly Cell[] = []) {
    for (const cell of cells) this.add(cell);
  }

  get size(): number {
    return this.cells.length;
  }

  /** The cell's index, adding an unknown cell (no coordinates) when new. */
  indexOf(cellId: string): number {
    const found = this.byId.get(cellId);
    if (found !== undefined) return found;
    return this.add({
      cellId,
      name: cellId,
      lat: Number.NaN,
      lon: Number.NaN,
      region: '',
      county: '',
      areaType: 'other',
    });
  }

  find(cellId: string): number | undefined {
    return this.byId.get(cellId);
  }

  add(cell: Cell): number {
    const existing = this.byId.get(cell.cellId);
    if (existing !== undefined) {
      this.cells[existing] = cell;
      this.version++;
      return existing;
    }
    const at = this.cells.length;
    this.cells.push(cell);
    this.byId.set(cell.cellId, at);
    this.version++;
    return at;
  }
}

/** Reads a cells CSV of the feed contract (header row; extra columns ignored). */
export function readCellsCsv(path: string): CellDirectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read cells file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((c) => c.trim());
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0)
      throw new AppError('FEED_FILE_INVALID', `cells file lacks the column ${name}`, {
        location: { file: path, line: 1 },
        hint: 'the header must name cell_id, name, lat, lon, region, county, area_type',
      });
    return at;
  };
  const at = {
    cellId: column('cell_id'),
    name: column('name'),
    lat: column('lat'),
    lon: column('lon'),
    region: column('region'),
    county: column('county'),
    areaType: column('area_type'),
  };
  const directory = new CellDirectory();
  lines.slice(1).forEach((line, i) => {
    const cells = splitCsvLine(line);
    const lat = Number(cells[at.lat]);
    const lon = Number(cells[at.lon]);
    if (!cells[at.cellId] || Number.isNaN(lat) || Number.isNaN(lon))
      throw new AppError('FEED_FILE_INVALID', 'cell row needs cell_id, lat and lon', {
        location: { file: path, line: i + 2 },
      });
    directory.add({
      cellId: cells[at.cellId]!,
      name: cells[at.name] ?? '',
      lat,
      lon,
      region: cells[at.region] ?? '',
      county: cells[at.county] ?? '',
      areaType: cells[at.areaType] ?? 'other',
    });
  });
  return directory;
}

/** A CSV line with optional double-quoted fields. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}
