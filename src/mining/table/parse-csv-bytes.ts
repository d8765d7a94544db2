// Reads a CSV table from its bytes straight into typed columns: a cell that is a number lands in a
// Float64Array without ever becoming a string; any other cell is interned once per distinct text. A
// million rows of thirty numbers then cost 240 MB of doubles, not thirty million strings.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';

export interface ParsedColumn {
  /** The cell's number, NaN where it is not one (blank, word). */
  numbers: Float64Array;
  /** 0 where the cell is a number, else 1 + the index of its trimmed text in `words`; null if no cell is text. */
  codes: Int32Array | null;
  words: string[];
}

export interface ParsedCsv {
  header: string[];
  columns: ParsedColumn[];
  rowCount: number;
  /** File line of each data row (1-based, the header is line 1). */
  lines: Int32Array;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** 10^k, exact for k ≤ 22: a mantissa below 2^53 divided by it is the correctly rounded value. */
const powersOfTen = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number in bytes[start, end) when it is a plain decimal (sign, digits, one point) of at most 15
 * significant digits, computed exactly as Number(text) would; NaN when the text needs the slow path.
 */
function fastDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = bytes[i] === 45;
  if (negative || bytes[i] === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let point = false;
  let sawDigit = false;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) {
      sawDigit = true;
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa > 0) digits++;
      if (point) fractionDigits++;
    } else if (c === 46 && !point) point = true;
    else return Number.NaN;
  }
  if (!sawDigit || digits > 15 || fractionDigits > 22) return Number.NaN;
  const value = fractionDigits > 0 ? mantissa / powersOfTen[fractionDigits]! : mantissa;
  return negative ? -value : value;
}

export function parseCsvBytes(bytes: Uint8Array, source: string): ParsedCsv {
  return parseCsv({ buffer: bytes, length: bytes.length, totalBytes: bytes.length, read: null }, source);
}

/**
 * Reads a CSV file in 8 MB pieces: only the columns grow with the file, never a copy of its bytes
 * (a million rows of thirty numbers are about 215 MB of text).
 */
export function readCsvColumns(path: string, source: string, chunkBytes = 8 << 20): ParsedCsv {
  const fd = openSync(path, 'r');
  try {
    const totalBytes = fstatSync(fd).size;
    const buffer = new Uint8Array(Math.max(16, Math.min(totalBytes, chunkBytes)));
    const read = (into: Uint8Array, offset: number) => readSync(fd, into, offset, into.length - offset, null);
    return parseCsv({ buffer, length: read(buffer, 0), totalBytes, read }, source);
  } finally {
    closeSync(fd);
  }
}

interface ByteWindow {
  buffer: Uint8Array;
  /** Bytes of buffer filled. */
  length: number;
  totalBytes: number;
  /** Fills into[offset…] with the next bytes and returns how many; null when buffer holds everything. */
  read: ((into: Uint8Array, offset: number) => number) | null;
}

function parseCsv(window: ByteWindow, source: string): ParsedCsv {
  let buffer = window.buffer;
  let n = window.length;
  // a view of exactly the filled bytes, so that a look past the end reads undefined, not stale bytes
  let bytes = buffer.subarray(0, n);
  let eof = window.read === null;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  /** Moves the unread bytes to the front (growing the buffer if one record fills it) and reads more. */
  const refill = () => {
    const rest = n - pos;
    if (rest === buffer.length) {
      const bigger = new Uint8Array(buffer.length * 2);
      bigger.set(buffer.subarray(pos, n));
      buffer = bigger;
    } else buffer.copyWithin(0, pos, n);
    pos = 0;
    n = rest;
    const got = window.read!(buffer, n);
    if (got === 0) eof = true;
    n += got;
    bytes = buffer.subarray(0, n);
  };
  /** Makes sure the record at pos ends (a line feed outside quotes) inside the bytes held, or the file ends. */
  const ensureRecord = () => {
    for (;;) {
      let quoted = false;
      for (let k = pos; k < n; k++) {
        const c = bytes[k]!;
        if (c === QUOTE) quoted = !quoted;
        else if (c === LF && !quoted) return;
      }
      if (eof) return;
      refill();
    }
  };
  const decoder = new TextDecoder('utf-8');
  const text = (start: number, end: number) => decoder.decode(bytes.subarray(start, end));
  let line = 1;
  // one field of the current record: [start, end) of raw bytes, or an unquoted string
  let quotedText: string | null = null;
  let fieldStart = 0;
  let fieldEnd = 0;
  const readField = (): number => {
    quotedText = null;
    if (bytes[pos] === QUOTE) {
      let out = '';
      let j = pos + 1;
      for (;;) {
        let q = j;
        while (q < n && bytes[q] !== QUOTE) {
          if (bytes[q] === LF) line++;
          q++;
        }
        if (q >= n)
          throw new AppError('INPUT_INVALID', 'unterminated quoted field', { location: { file: source, line } });
        out += text(j, q);
        if (bytes[q + 1] === QUOTE) {
          out += '"';
          j = q + 2;
        } else {
          pos = q + 1;
          break;
        }
      }
      quotedText = out;
    } else {
      fieldStart = pos;
      while (pos < n) {
        const c = bytes[pos]!;
        if (c === COMMA || c === LF || c === CR) break;
        pos++;
      }
      fieldEnd = pos;
    }
    const c = pos < n ? bytes[pos]! : -1;
    return c;
  };
  // the header
  ensureRecord();
  const header: string[] = [];
  for (;;) {
    const next = readField();
    header.push((quotedText ?? text(fieldStart, fieldEnd)).trim());
    if (next === COMMA) {
      pos++;
      continue;
    }
    break;
  }
  if (n === 0 || (header.length === 1 && header[0] === ''))
    throw new AppError('INPUT_INVALID', 'table is empty', {
      location: { file: source },
      hint: 'give a CSV file with a header row',
    });
  const endRecord = () => {
    if (bytes[pos] === CR) pos++;
    if (bytes[pos] === LF) pos++;
    line++;
  };
  endRecord();
  const width = header.length;
  let capacity = Math.max(16, Math.ceil((window.totalBytes / Math.max(8, estimateLineBytes(bytes, pos))) * 1.02) + 16);
  let numbers = header.map(() => new Float64Array(capacity));
  const codes: (Int32Array | null)[] = header.map(() => null);
  const words: string[][] = header.map(() => []);
  const dictionaries = header.map(() => new Map<string, number>());
  let lines = new Int32Array(capacity);
  let rows = 0;
  const fieldValues = new Float64Array(width);
  const fieldWords: (string | null)[] = new Array(width).fill(null);
  for (;;) {
    ensureRecord();
    if (pos >= n) break;
    const recordLine = line;
    let count = 0;
    let lastEmpty = true;
    for (;;) {
      const next = readField();
      if (count < width) {
        let value = Number.NaN;
        let word: string | null = null;
        if (quotedText !== null) {
          word = (quotedText as string).trim();
          const parsed = word === '' ? Number.NaN : Number(word);
          if (Number.isFinite(parsed)) {
            value = parsed;
            word = null;
          }
        } else {
          let s = fieldStart;
          let e = fieldEnd;
          while (s < e && (bytes[s] === SPACE || bytes[s] === TAB)) s++;
          while (e > s && (bytes[e - 1] === SPACE || bytes[e - 1] === TAB)) e--;
          value = s < e ? fastDecimal(bytes, s, e) : Number.NaN;
          if (Number.isNaN(value)) {
            word = text(s, e);
            const parsed = word === '' ? Number.NaN : Number(word);
            if (Number.isFinite(parsed)) {
              value = parsed;
              word = null;
            }
          }
        }
        fieldValues[count] = value;
        fieldWords[count] = word;
      }
      lastEmpty = count === 0 && quotedText === null && fieldStart === fieldEnd;
      count++;
      if (next === COMMA) {
        pos++;
        continue;
      }
      break;
    }
    endRecord();
    if (count === 1 && lastEmpty) continue; // a blank line
    if (count !== width)
      throw new AppError('INPUT_INVALID', `row has ${count} fields, the header has ${width}`, {
        location: { file: source, line: recordLine },
        hint: 'quote fields that contain commas',
      });
    if (rows === capacity) {
      capacity *= 2;
      numbers = numbers.map((column) => grow(column, capacity));
      for (let c = 0; c < width; c++) if (codes[c]) codes[c] = growInt(codes[c]!, capacity);
      lines = growInt(lines, capacity);
    }
    for (let c = 0; c < width; c++) {
      numbers[c]![rows] = fieldValues[c]!;
      const word = fieldWords[c];
      if (word !== null && word !== undefined) {
        let codeColumn = codes[c];
        if (!codeColumn) {
          codeColumn = new Int32Array(capacity);
          codes[c] = codeColumn;
        }
        const dictionary = dictionaries[c]!;
        let code = dictionary.get(word);
        if (code === undefined) {
          code = words[c]!.push(word);
          dictionary.set(word, code);
        }
        codeColumn[rows] = code;
      }
    }
    lines[rows] = recordLine;
    rows++;
  }
  // the capacity was estimated from the first lines: keep the arrays when little is unused rather
  // than hold a second copy of every column at the peak
  const fit = <T extends Float64Array | Int32Array>(column: T): T =>
    (capacity - rows <= capacity / 8 ? column.subarray(0, rows) : column.slice(0, rows)) as T;
  const columns = header.map((_, c) => ({
    numbers: fit(numbers[c]!),
    codes: codes[c] ? fit(codes[c]!) : null,
    words: words[c]!,
  }));
  return { header, columns, rowCount: rows, lines: fit(lines) };
}

function estimateLineBytes(bytes: Uint8Array, from: number): number {
  let lines = 0;
  const end = Math.min(bytes.length, from + 65536);
  for (let i = from; i < end; i++) if (bytes[i] === LF) lines++;
  return lines > 0 ? (end - from) / lines : end - from;
}

function grow(column: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(capacity);
  out.set(column);
  return out;
}

function growInt(column: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(capacity);
  out.set(column);
  return out;
}
