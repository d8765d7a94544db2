// A small CSV reader that knows on which physical line each record starts, for explaining bad rows.
// DuckDB's reader is far faster but cannot tell line numbers, so this runs only on files that have
// bad rows. RFC 4180: fields in double quotes may hold commas, quotes ("") and newlines.
// Unquoted fields are sliced out of the chunk rather than built character by character.

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  /** The record's text as it stood in the file, without the line ending. */
  raw: string;
  fields: string[];
}

export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let carry = ''; // an unfinished record from the previous chunk
  let line = 1;
  let first = true;
  for await (let chunk of text) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    const buffer = carry + chunk;
    let start = 0;
    for (;;) {
      const parsed = parseRecord(buffer, start, false);
      if (parsed === undefined) break; // needs more text
      const { fields, end, next, newlines } = parsed;
      const raw = buffer.slice(start, end);
      if (raw !== '' && raw !== '\r') yield { line, raw: raw.endsWith('\r') ? raw.slice(0, -1) : raw, fields };
      line += newlines + 1;
      start = next;
    }
    carry = buffer.slice(start);
  }
  if (carry !== '') {
    const parsed = parseRecord(carry, 0, true)!;
    const raw = carry.slice(0, parsed.end);
    if (raw !== '' && raw !== '\r')
      yield { line, raw: raw.endsWith('\r') ? raw.slice(0, -1) : raw, fields: parsed.fields };
  }
}

interface Parsed {
  fields: string[];
  /** Index of the record's line ending (or the text's end). */
  end: number;
  /** Index where the next record starts. */
  next: number;
  /** Newlines inside quoted fields. */
  newlines: number;
}

/** Parses one record starting at `start`; undefined when the text ends first and more may come. */
function parseRecord(text: string, start: number, final: boolean): Parsed | undefined {
  const fields: string[] = [];
  let i = start;
  let newlines = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      // Quoted field: up to the closing quote, "" standing for one quote.
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) {
          if (!final) return undefined;
          value += text.slice(from);
          newlines += countNewlines(text, from, text.length);
          fields.push(value);
          return { fields, end: text.length, next: text.length, newlines };
        }
        newlines += countNewlines(text, from, quote);
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      // Anything between the closing quote and the delimiter belongs to the field, as DuckDB keeps it.
      const stop = nextDelimiter(text, i);
      if (stop < 0) {
        if (!final) return undefined;
        fields.push(value + text.slice(i).replace(/\r$/, ''));
        return { fields, end: text.length, next: text.length, newlines };
      }
      value += text.slice(i, stop).replace(/\r$/, '');
      fields.push(value);
      if (text.charCodeAt(stop) === 44) {
        i = stop + 1;
        continue;
      }
      return { fields, end: stop, next: stop + 1, newlines };
    }
    const stop = nextDelimiter(text, i);
    if (stop < 0) {
      if (!final) return undefined;
      fields.push(text.slice(i).replace(/\r$/, ''));
      return { fields, end: text.length, next: text.length, newlines };
    }
    fields.push(text.slice(i, stop).replace(/\r$/, ''));
    if (text.charCodeAt(stop) === 44) {
      i = stop + 1;
      continue;
    }
    return { fields, end: stop, next: stop + 1, newlines };
  }
}

/** The next comma or newline at or after `from`, or -1. */
function nextDelimiter(text: string, from: number): number {
  const comma = text.indexOf(',', from);
  const newline = text.indexOf('\n', from);
  if (comma < 0) return newline;
  if (newline < 0) return comma;
  return Math.min(comma, newline);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
