// JSON schemas shared by the KPI and analysis routes: date range, grain, breakdown and one filter
// parameter per dimension (comma-separated values), so every input is checked before it is used.
import { attributeDimensions } from '../../metrics/index.ts';

// format 'date' (ajv-formats) knows the days of each month: 2026-02-30 is a 400 before any SQL.
const date = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'date',
  description: 'YYYY-MM-DD',
} as const;

export const filterProperties = Object.fromEntries(
  attributeDimensions.map((name) => [
    name,
    { type: 'string', minLength: 1, maxLength: 400, description: `keep only these ${name} values (comma-separated)` },
  ]),
);

export const rangeProperties = { from: date, to: date } as const;

export const grainProperty = { type: 'string', enum: ['day', 'week', 'month'] } as const;

/** The filters present in a parsed querystring, split at commas. */
export function filtersFrom(query: Record<string, unknown>): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const name of attributeDimensions) {
    const value = query[name];
    if (typeof value === 'string' && value !== '') {
      filters[name] = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    }
  }
  return filters;
}

export const dateSchema = date;
