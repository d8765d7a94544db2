// Rules and geofences edited over the API carry their id in the path; the body may repeat it.
import { AppError } from '../../shared/errors.ts';

/**
 * The body with the path's id. A body that names another id is refused rather than silently renamed:
 * the caller may have meant to edit the other rule or geofence.
 */
export function withPathId(id: string, body: unknown, what: 'rule' | 'geofence'): Record<string, unknown> {
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (fields.id !== undefined && fields.id !== id)
    throw new AppError(
      'RULE_INVALID',
      `the body's id ${JSON.stringify(fields.id)} differs from the path's id "${id}": send the same id or leave it out`,
      { location: { path: `${what} ${id}`, field: 'id' } },
    );
  return { ...fields, id };
}
