// A small CSV reader that knows on which physical line each record starts, for explaining bad rows.
// DuckDB's reader is far faster but cannot tell line numbers, so this runs only on files that have
// bad rows. RFC 4180: fields in double quotes may hold commas, quotes ("") and newlines.

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  /** The record's text as it stood in the file, without the line ending. */
  raw: string;
  fields: string[];
}

export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let raw = '';
  let inQuotes = false;
  let quoteSeen = false; // the previous character closed a quoted section
  let line = 1;
  let recordLine = 1;
  let first = true;
  for await (let chunk of text) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (inQuotes) {
        if (ch === 34) {
          inQuotes = false;
          quoteSeen = true;
        } else if (ch === 10) {
          line++;
          field += chunk[i];
        } else field += chunk[i];
        continue;
      }
      if (ch === 34) {
        if (quoteSeen) field += '"'; // "" inside quotes is one quote
        inQuotes = true;
        quoteSeen = false;
        continue;
      }
      quoteSeen = false;
      if (ch === 44) {
        fields.push(field);
        field = '';
      } else if (ch === 10) {
        raw += chunk.slice(start, i);
        start = i + 1;
        const trimmed = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (field.endsWith('\r')) field = field.slice(0, -1);
        if (trimmed !== '' || fields.length > 0) {
          fields.push(field);
          yield { line: recordLine, raw: trimmed, fields };
        }
        fields = [];
        field = '';
        raw = '';
        line++;
        recordLine = line;
      } else if (ch !== 13 || chunk.charCodeAt(i + 1) !== 10) {
        field += chunk[i];
      }
    }
    raw += chunk.slice(start);
  }
  const trimmed = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (trimmed !== '' || fields.length > 0) {
    fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield { line: recordLine, raw: trimmed, fields };
  }
}
