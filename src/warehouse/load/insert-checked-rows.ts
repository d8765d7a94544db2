// The checked insert: one read_csv over the files, the compiled checks of the contract as the filter,
// the typed values of the rows that pass into the feed's table. The rows it refuses are explained
// afterwards (explain-bad-rows.ts). Files proven clean on their bytes skip it (proven-insert-sql.ts).
import type { Warehouse } from '../warehouse.ts';
import { sqlIdentifier as ident, sqlLiteral as quoteLiteral } from '../sql-text.ts';
import type { CompiledFeed } from './compile-feed-sql.ts';
import { type FilePeriod, periodByFileSql, periodSql } from './file-period.ts';
import { readCsvSql } from './read-csv-sql.ts';

export interface SourceFile {
  /** The UTF-8 file DuckDB reads. */
  readPath: string;
  fileId: number;
  period: FilePeriod | undefined;
}

/**
 * One read_csv over the files, and the file id of a row of `alias` in SQL. Several files need the file
 * name on every row, a string column and a CASE over it that one file need not pay for.
 */
export function fileSourceSql(
  files: readonly SourceFile[],
  columns: readonly string[],
  alias: string,
  types?: Readonly<Record<string, string>>,
): { source: string; fileId: string } {
  if (files.length === 1)
    return { source: readCsvSql([files[0]!.readPath], columns, { types }), fileId: String(files[0]!.fileId) };
  return {
    source: readCsvSql(
      files.map((f) => f.readPath),
      columns,
      { fileColumn: '__file', types },
    ),
    fileId: `CASE ${alias}.__file ${files.map((f) => `WHEN ${quoteLiteral(f.readPath)} THEN ${f.fileId}`).join(' ')} END`,
  };
}

export async function insertCheckedRows(
  warehouse: Warehouse,
  compiled: CompiledFeed,
  files: readonly SourceFile[],
  columns: readonly string[],
): Promise<void> {
  const { source, fileId } = fileSourceSql(files, columns, 'src');
  const columnList = [...compiled.spec.fields.map((f) => ident(f.name)), 'file_id'].join(', ');
  const relation = compiled.relation(
    source,
    files.length === 1
      ? { period: periodSql(files[0]!.period), fileId: files[0]!.fileId }
      : { passThrough: ['__file'], keyScope: ['__file'], period: periodByFileSql('__file', files) },
  );
  await warehouse.run(
    `INSERT INTO ${compiled.table} (${columnList})
     SELECT ${compiled.typedSelect.replace('$file_id', fileId)}
     FROM ${relation}
     WHERE ${compiled.okPredicate}`,
  );
}
