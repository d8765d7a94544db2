// Reads a CSV table (header row, RFC 4180 quoting, UTF-8) into raw text columns.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors.ts';

export interface RawTable {
  /** File name for messages. */
  source: string;
  header: string[];
  /** columns[c][r]: the text of row r (0-based, the header excluded) in column c. */
  columns: string[][];
  rowCount: number;
  /** File line of each data row (1-based, the header is line 1), for messages. */
  lines: Int32Array;
}

export function readCsvTable(path: string): RawTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read table: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  return parseCsvTable(text, basename(path));
}

export function parseCsvTable(text: string, source = 'table'): RawTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records = parseCsvRecords(body, source);
  if (records.length === 0)
    throw new AppError('INPUT_INVALID', 'table is empty', {
      location: { file: source },
      hint: 'give a CSV file with a header row',
    });
  const header = records[0]!.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      throw new AppError('INPUT_INVALID', `column "${name}" appears twice in the header`, {
        location: { file: source, line: 1 },
      });
    seen.add(name);
  }
  const columns = header.map(() => [] as string[]);
  const lines: number[] = [];
  for (let k = 1; k < records.length; k++) {
    const { fields, line } = records[k]!;
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length !== header.length)
      throw new AppError('INPUT_INVALID', `row has ${fields.length} fields, the header has ${header.length}`, {
        location: { file: source, line },
        hint: 'quote fields that contain commas',
      });
    for (let c = 0; c < header.length; c++) columns[c]!.push(fields[c]!);
    lines.push(line);
  }
  return { source, header, columns, rowCount: lines.length, lines: Int32Array.from(lines) };
}

interface CsvRecord {
  fields: string[];
  line: number;
}

function parseCsvRecords(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  while (i <= n) {
    // one field
    let value: string;
    if (text.charCodeAt(i) === 34) {
      let j = i + 1;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1)
          throw new AppError('INPUT_INVALID', 'unterminated quoted field', { location: { file: source, line } });
        out += text.slice(j, q);
        for (let k = j; k < q; k++) if (text.charCodeAt(k) === 10) line++;
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = out;
    } else {
      let j = i;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (ch === 44 || ch === 10 || ch === 13) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    fields.push(value);
    const ch = i < n ? text.charCodeAt(i) : -1;
    if (ch === 44) {
      i++;
      continue;
    }
    // end of record
    records.push({ fields, line: recordLine });
    fields = [];
    if (ch === 13) i++;
    if (i < n && text.charCodeAt(i) === 10) i++;
    line++;
    recordLine = line;
    if (i >= n) break;
  }
  return records;
}
