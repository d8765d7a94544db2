// A small CSV reader that knows on which physical line each record starts, for explaining bad rows.
// DuckDB's reader is far faster but cannot tell line numbers, so this runs only on files that have
// bad rows. RFC 4180: fields in double quotes may hold commas, quotes ("") and newlines.
// Unquoted fields are sliced out of the chunk rather than built character by character.
// A quoted field that runs across lines is taken at its word only while the record it makes has the
// header's number of fields (and is not named in `splitLines`): otherwise the opening quote is a stray
// one, and it costs its own physical line, not every line up to the next quote in the file.

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  /** Physical lines the record spans (more than 1 when a quoted field holds a newline). */
  lines: number;
  /** The record's text as it stood in the file, without the line ending. */
  raw: string;
  fields: string[];
  /** Set on a line cut loose from a quoted field that did not close on it; `fields` is then empty. */
  strayQuote?: true;
}

export interface ReadCsvOptions {
  /** Fields in the header: a multi-line record with any other count is a stray quote. */
  columns: number;
  /** Lines where a multi-line record must be cut even if its field count fits (it failed the contract). */
  splitLines?: ReadonlySet<number>;
}

const MAX_RECORD_CHARS = 1 << 20;

export async function* readCsvRecords(text: AsyncIterable<string>, options: ReadCsvOptions): AsyncGenerator<CsvRecord> {
  const split = options.splitLines ?? new Set<number>();
  let carry = ''; // an unfinished record from the previous chunk
  let line = 1;
  let first = true;
  const trim = (raw: string) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  /** Every record of `buffer` from `start` on; returns where the unfinished rest begins. */
  function* records(buffer: string, final: boolean): Generator<CsvRecord, number> {
    let start = 0;
    while (start < buffer.length) {
      const parsed = parseRecord(buffer, start, final);
      const lineEnd = buffer.indexOf('\n', start);
      // A quoted field still open after a mebibyte is a stray quote too (DuckDB's own limit on a
      // record is two); waiting for its close would hold the rest of the file in memory.
      const stray =
        parsed === undefined
          ? lineEnd >= 0 && buffer.length - start > MAX_RECORD_CHARS
          : parsed.newlines > 0 && (parsed.fields.length !== options.columns || split.has(line));
      if (stray) {
        yield { line, lines: 1, raw: trim(buffer.slice(start, lineEnd)), fields: [], strayQuote: true };
        line++;
        start = lineEnd + 1;
        continue;
      }
      if (parsed === undefined) break; // needs more text
      const { fields, end, next, newlines } = parsed;
      const raw = buffer.slice(start, end);
      if (raw !== '' && raw !== '\r') yield { line, lines: newlines + 1, raw: trim(raw), fields };
      line += newlines + 1;
      start = next;
    }
    return start;
  }
  for await (let chunk of text) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    const buffer = carry + chunk;
    const rest = yield* records(buffer, false);
    carry = buffer.slice(rest);
  }
  if (carry !== '') yield* records(carry, true);
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
