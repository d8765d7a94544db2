// Reads a CSV table (header row, RFC 4180 quoting, UTF-8) from its bytes into typed columns; the
// text of a column is made only when a caller asks for strings.
import { basename } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { type ParsedColumn, type ParsedCsv, parseCsvBytes, readCsvColumns } from './parse-csv-bytes.ts';
import { parsedColumnTexts } from './parsed-columns.ts';

export interface RawTable {
  /** File name for messages. */
  source: string;
  header: string[];
  /** columns[c][r]: the text of row r (0-based, the header excluded) in column c. */
  columns: string[][];
  rowCount: number;
  /** File line of each data row (1-based, the header is line 1), for messages. */
  lines: Int32Array;
  /** The columns as read from a file: numbers as doubles, other cells as interned words. */
  parsed?: ParsedColumn[];
}

export function readCsvTable(path: string): RawTable {
  let parsed: ParsedCsv;
  try {
    parsed = readCsvColumns(path, basename(path));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INPUT_INVALID', `cannot read table: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  return rawTable(parsed, basename(path));
}

export function parseCsvTable(text: string, source = 'table'): RawTable {
  return parsedTable(Buffer.from(text, 'utf8'), source);
}

function parsedTable(bytes: Uint8Array, source: string): RawTable {
  return rawTable(parseCsvBytes(bytes, source), source);
}

function rawTable(parsed: ParsedCsv, source: string): RawTable {
  const seen = new Set<string>();
  for (const name of parsed.header) {
    if (seen.has(name))
      throw new AppError('INPUT_INVALID', `column "${name}" appears twice in the header`, {
        location: { file: source, line: 1 },
      });
    seen.add(name);
  }
  let texts: string[][] | null = null;
  return {
    source,
    header: parsed.header,
    rowCount: parsed.rowCount,
    lines: parsed.lines,
    parsed: parsed.columns,
    // strings only for the callers that want them (keys of scored rows, segments), made once
    get columns() {
      texts ??= parsed.columns.map((column) => parsedColumnTexts(column, parsed.rowCount));
      return texts;
    },
  };
}

/** One column's cells as text, without making the other columns' strings. */
export function columnTexts(raw: RawTable, c: number): string[] {
  return raw.parsed ? parsedColumnTexts(raw.parsed[c]!, raw.rowCount) : raw.columns[c]!;
}
