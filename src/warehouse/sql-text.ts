// The one place where values become SQL text. Values are passed as parameters wherever DuckDB takes
// them; these are for the few places it does not (file paths in read_csv, identifiers, enum lists).

/** A string literal: `it's` becomes `'it''s'`. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A quoted identifier (column or table name): `a"b` becomes `"a""b"`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A moment as the warehouse's TIMESTAMP text, in UTC: `2026-03-01 08:15:00` (with `.250` when the
 * milliseconds are not zero). Every table's times are written through this, so they sort and compare alike.
 */
export function sqlTimestamp(moment: Date | number): string {
  const ms = typeof moment === 'number' ? moment : moment.getTime();
  const iso = new Date(ms).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms % 1000 === 0 ? base : `${base}${iso.slice(19, 23)}`;
}
