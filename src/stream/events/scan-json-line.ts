// A fast path for the common stream line: one flat JSON object of plain strings and numbers. It reads
// the fields in place, without building the intermediate object JSON.parse would; anything unusual
// (escapes, nesting, duplicate quirks) returns undefined and the caller falls back to JSON.parse.
import { signallingEvents } from '../../feeds/contract.ts';
import type { SignallingEventKind } from './signalling-event.ts';

export interface ScannedFields {
  ts: string | undefined;
  msisdn: string | undefined;
  event: SignallingEventKind | string | undefined;
  cellId: string | undefined;
  peer: string | undefined;
  duration: string | number | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;

export function scanJsonLine(text: string, out: ScannedFields): boolean {
  out.ts = out.msisdn = out.event = out.cellId = out.peer = out.duration = undefined;
  const n = text.length;
  let i = skipSpace(text, 1);
  if (text.charCodeAt(i) === 125) return true; // {}
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return false;
    const keyStart = i + 1;
    const keyEnd = text.indexOf('"', keyStart);
    if (keyEnd < 0) return false;
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 58 /* : */) return false;
    i = skipSpace(text, i + 1);
    let value: string | number | undefined;
    if (text.charCodeAt(i) === QUOTE) {
      const valueEnd = text.indexOf('"', i + 1);
      if (valueEnd < 0) return false;
      for (let j = i + 1; j < valueEnd; j++) if (text.charCodeAt(j) === BACKSLASH) return false;
      value = keyIs(text, keyStart, keyEnd, 'event') ? eventKindAt(text, i + 1, valueEnd) : text.slice(i + 1, valueEnd);
      i = valueEnd + 1;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 125 || c === 32) break;
        if (c === 123 || c === 91) return false; // nested object or array
        j++;
      }
      const raw = text.slice(i, j);
      value = raw === 'null' ? undefined : isPlainNumber(raw) ? Number(raw) : raw;
      i = j;
    }
    const keyLength = keyEnd - keyStart;
    if (keyLength === 2 && keyIs(text, keyStart, keyEnd, 'ts')) out.ts = value as string;
    else if (keyLength === 6 && keyIs(text, keyStart, keyEnd, 'msisdn')) out.msisdn = value as string;
    else if (keyLength === 5 && keyIs(text, keyStart, keyEnd, 'event')) out.event = value as string;
    else if (keyLength === 7 && keyIs(text, keyStart, keyEnd, 'cell_id')) out.cellId = value as string;
    else if (keyLength === 4 && keyIs(text, keyStart, keyEnd, 'peer'))
      out.peer = value === undefined ? undefined : String(value);
    else if (keyLength === 10 && keyIs(text, keyStart, keyEnd, 'duration_s')) out.duration = value;
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === 125) return skipSpace(text, i + 1) === n;
    if (c !== 44) return false;
    i = skipSpace(text, i + 1);
  }
}

function keyIs(text: string, start: number, end: number, key: string): boolean {
  return end - start === key.length && text.startsWith(key, start);
}

/** The canonical (interned) event name, so later lookups by it are fast; the raw text when unknown. */
function eventKindAt(text: string, start: number, end: number): string {
  for (const kind of signallingEvents) if (keyIs(text, start, end, kind)) return kind;
  return text.slice(start, end);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Digits with an optional sign and decimal part, short enough to be exact as a number. */
function isPlainNumber(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || n >= 16) return false;
  let i = raw.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot && digits > 0 && i < n - 1) dot = true;
    else return false;
  }
  return digits > 0;
}
