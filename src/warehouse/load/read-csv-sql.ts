// How DuckDB reads a feed file: every column as text (the checks decide types), the header's own
// column order, and rows it cannot parse skipped rather than fatal (the slow path explains them).
// The fast path and the slow path read with these same options, so they see the same records.
// Only the insert of a proven file may have a few columns read typed (proven-insert-sql.ts): a
// record whose value then fails to convert is skipped, and the file comes up short as it would have
// with the cast.
import { sqlLiteral as quoteLiteral } from '../sql-text.ts';

export function readCsvSql(
  paths: readonly string[],
  columns: readonly string[],
  options: { fileColumn?: string; types?: Readonly<Record<string, string>> } = {},
): string {
  const list = paths.length === 1 ? quoteLiteral(paths[0]!) : `[${paths.map(quoteLiteral).join(', ')}]`;
  return `read_csv(${list}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      ignore_errors = true, compression = 'auto'${options.fileColumn ? `, filename = ${quoteLiteral(options.fileColumn)}` : ''},
      columns = {${columns.map((c) => `${quoteLiteral(c)}: ${quoteLiteral(options.types?.[c] ?? 'VARCHAR')}`).join(', ')}})`;
}
