// Saved audiences. A saved version is never changed: saving an audience again adds a version, so a
// campaign that names (id, version) always targets the same conditions it was approved with.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import type { AudienceDefinition } from './audience-definition.ts';
import { parseAudienceDefinition } from './parse-audience-definition.ts';

export interface AudienceVersion {
  id: number;
  version: number;
  name: string;
  definition: AudienceDefinition;
  createdBy: string;
  createdAt: string;
}

export interface AudienceSummary {
  id: number;
  name: string;
  latestVersion: number;
  createdBy: string;
  updatedAt: string;
}

/** The answer of GET /api/audiences. */
export interface AudienceList {
  audiences: AudienceSummary[];
}

/** The answer of GET /api/audiences/{id}: every version, newest first. */
export interface AudienceHistory {
  id: number;
  name: string;
  latestVersion: number;
  versions: AudienceVersion[];
}

export interface SaveAudienceRequest {
  /** An existing audience to add a version to; absent for a new audience. */
  id?: number;
  name: string;
  definition: unknown;
  createdBy: string;
  clock: Clock;
}

export async function saveAudience(warehouse: Warehouse, request: SaveAudienceRequest): Promise<AudienceVersion> {
  const definition = parseAudienceDefinition(request.definition);
  const name = request.name.trim();
  if (name === '' || name.length > 200) {
    throw new AppError('INPUT_INVALID', 'an audience needs a name of 1 to 200 characters', {
      location: { field: 'name' },
    });
  }
  const createdAt = sqlTimestamp(request.clock.now());
  return warehouse.write(async (tx) => {
    let id = request.id;
    let version = 1;
    if (id === undefined) {
      id = await tx.scalar(`SELECT nextval('audience_id_seq')`);
    } else {
      const latest = await tx.scalar('SELECT coalesce(max(version), 0) FROM audiences WHERE id = ?', [id]);
      if (latest === 0) throw notFound(id);
      version = latest + 1;
    }
    await tx.run(
      'INSERT INTO audiences (id, version, name, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))',
      [id, version, name, JSON.stringify(definition), request.createdBy, createdAt],
    );
    return { id, version, name, definition, createdBy: request.createdBy, createdAt };
  });
}

export async function listAudiences(warehouse: Warehouse): Promise<AudienceSummary[]> {
  const rows = await warehouse.all<{
    id: number;
    name: string;
    version: number;
    created_by: string;
    created_at: string;
  }>(
    `SELECT id, name, version, created_by, CAST(created_at AS VARCHAR) AS created_at FROM audiences
     QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC) = 1 ORDER BY id DESC`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    latestVersion: Number(r.version),
    createdBy: r.created_by,
    updatedAt: r.created_at,
  }));
}

/** Every version of an audience, newest first. */
export async function getAudienceVersions(warehouse: Warehouse, id: number): Promise<AudienceVersion[]> {
  const rows = await warehouse.all<{
    id: number;
    version: number;
    name: string;
    definition: string;
    created_by: string;
    created_at: string;
  }>(
    `SELECT id, version, name, definition, created_by, CAST(created_at AS VARCHAR) AS created_at
     FROM audiences WHERE id = ? ORDER BY version DESC`,
    [id],
  );
  if (rows.length === 0) throw notFound(id);
  return rows.map((r) => ({
    id: Number(r.id),
    version: Number(r.version),
    name: r.name,
    definition: JSON.parse(r.definition) as AudienceDefinition,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

/** One version (the latest when `version` is absent). */
export async function getAudience(warehouse: Warehouse, id: number, version?: number): Promise<AudienceVersion> {
  const versions = await getAudienceVersions(warehouse, id);
  if (version === undefined) return versions[0]!;
  const found = versions.find((v) => v.version === version);
  if (!found) {
    throw new AppError('NOT_FOUND', `audience ${id} has no version ${version}`, {
      location: { field: 'version' },
      hint: `its versions are ${versions.map((v) => v.version).join(', ')}`,
    });
  }
  return found;
}

function notFound(id: number): AppError {
  return new AppError('NOT_FOUND', `there is no saved audience ${id}`, {
    location: { field: 'id' },
    hint: 'list the saved audiences with `telmark audience list` or GET /api/audiences',
  });
}
