// Turns one stream line (a JSON object, or a CSV row of the signalling feed) into an event or a reason.
// A bad line never throws: the caller counts the rejection and carries on.
import { DEFAULT_UTC_OFFSET_MINUTES, parseEventTime } from './event-time.ts';
import { isSignallingEventKind, type LineOutcome, type SignallingEvent } from './signalling-event.ts';
import { type ScannedFields, scanJsonLine } from './scan-json-line.ts';

const CONTRACT_COLUMNS = ['ts', 'msisdn', 'event', 'cell_id', 'peer', 'duration_s'] as const;

export interface EventLineParser {
  parse(line: string): LineOutcome;
}

interface Reusable {
  event: SignallingEvent;
  outcome: { kind: 'event'; event: SignallingEvent };
}

const BYTE_ORDER_MARK = 0xfeff;
const JSON_ARRAY_REASON = 'a JSON array: send one JSON object per line (JSON lines), not an array of events';

function malformed(reason: string): LineOutcome {
  return { kind: 'reject', code: 'malformed', reason };
}

/**
 * A parser that remembers the column order of the last CSV header it saw. With `reuse`, every event
 * outcome is the same object, overwritten by the next line: for loops that use each event at once
 * (the stream loop), it spares the garbage collector two objects a line. Times with a zone are moved
 * to local wall time at `utcOffsetMinutes` (see event-time.ts).
 */
export function createEventLineParser(options: { reuse?: boolean; utcOffsetMinutes?: number } = {}): EventLineParser {
  const offset = options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
  let target: Reusable | undefined;
  if (options.reuse) {
    const event: SignallingEvent = { tsMs: 0, msisdn: '', event: 'call_out', cellId: '', peer: '', durationSec: 0 };
    target = { event, outcome: { kind: 'event', event } };
  }
  let columns: readonly string[] = CONTRACT_COLUMNS;
  let index = columnIndex(columns);
  return {
    parse(raw: string): LineOutcome {
      // Editors and Windows tools start a UTF-8 file with a byte-order mark: it is not part of the line.
      const line = raw.charCodeAt(0) === BYTE_ORDER_MARK ? raw.slice(1) : raw;
      if (line.charCodeAt(0) === 123 /* { */) return parseJsonLine(line, target, offset);
      if (line.charCodeAt(0) === 91 /* [ */) return malformed(JSON_ARRAY_REASON);
      const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
      if (text.trim() === '') return { kind: 'skip' };
      if (text.startsWith('ts,') || text.includes(',msisdn,') || text.startsWith('msisdn,')) {
        columns = text.split(',').map((c) => c.trim());
        index = columnIndex(columns);
        const missing = CONTRACT_COLUMNS.filter((c) => c !== 'peer' && index[c] === undefined);
        if (missing.length > 0) {
          columns = CONTRACT_COLUMNS;
          index = columnIndex(columns);
          return malformed(`CSV header lacks ${missing.join(', ')}`);
        }
        return { kind: 'skip' };
      }
      const cells = text.split(',');
      if (cells.length < columns.length - 1)
        return malformed(`CSV row has ${cells.length} fields, header has ${columns.length}`);
      return validate(
        cells[index.ts!],
        cells[index.msisdn!],
        cells[index.event!],
        cells[index.cell_id!],
        index.peer === undefined ? '' : cells[index.peer],
        cells[index.duration_s!],
        offset,
        target,
      );
    },
  };
}

function columnIndex(columns: readonly string[]): Record<string, number | undefined> {
  const index: Record<string, number | undefined> = {};
  columns.forEach((c, i) => {
    index[c] = i;
  });
  return index;
}

const scanned: ScannedFields = {
  ts: undefined,
  msisdn: undefined,
  event: undefined,
  cellId: undefined,
  peer: undefined,
  duration: undefined,
};

function parseJsonLine(text: string, target: Reusable | undefined, offset: number): LineOutcome {
  if (scanJsonLine(text, scanned))
    return validate(
      scanned.ts,
      scanned.msisdn,
      scanned.event,
      scanned.cellId,
      scanned.peer,
      scanned.duration,
      offset,
      target,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return malformed('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return malformed('JSON line is not an object');
  const o = value as Record<string, unknown>;
  return validate(o.ts, o.msisdn, o.event, o.cell_id, o.peer, o.duration_s, offset, target);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function validate(
  ts: unknown,
  msisdn: unknown,
  event: unknown,
  cellId: unknown,
  peer: unknown,
  duration: unknown,
  offset: number,
  target?: Reusable,
): LineOutcome {
  if (isMissing(ts)) return malformed('missing ts');
  const tsMs = typeof ts === 'string' ? parseEventTime(ts, offset) : Number.NaN;
  if (Number.isNaN(tsMs))
    return malformed(`ts "${String(ts)}" must be YYYY-MM-DD HH:MM:SS[.mmm], optionally with Z or ±HH:MM`);
  if (isMissing(msisdn)) return malformed('missing msisdn');
  const number = typeof msisdn === 'number' ? String(msisdn) : msisdn;
  if (typeof number !== 'string' || number.length !== 11 || !isDigits(number))
    return malformed(`msisdn "${String(msisdn)}" must have 11 digits`);
  if (isMissing(event)) return malformed('missing event');
  if (!isSignallingEventKind(event)) return malformed(`event "${String(event)}" is not a signalling event`);
  if (isMissing(cellId)) return malformed('missing cell_id');
  if (typeof cellId !== 'string' || cellId.length > 32) return malformed(`cell_id "${String(cellId)}" must be LAC-CI`);
  const peerText = peer === undefined || peer === null ? '' : String(peer);
  if (peerText !== '' && (peerText.length > 20 || !isDigits(peerText)))
    return malformed(`peer "${peerText}" must be digits`);
  const durationSec = duration === undefined || duration === '' ? 0 : Number(duration);
  if (!Number.isInteger(durationSec) || durationSec < 0 || durationSec > 86400)
    return malformed(`duration_s "${String(duration)}" must be 0..86400`);
  if (target) {
    const e = target.event;
    e.tsMs = tsMs;
    e.msisdn = number;
    e.event = event;
    e.cellId = cellId;
    e.peer = peerText;
    e.durationSec = durationSec;
    return target.outcome;
  }
  const result: SignallingEvent = { tsMs, msisdn: number, event, cellId, peer: peerText, durationSec };
  return { kind: 'event', event: result };
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** One event as a stream line (JSON), the inverse of the parser. */
export function formatEventLine(event: SignallingEvent, formatTime: (ms: number) => string): string {
  return JSON.stringify({
    ts: formatTime(event.tsMs),
    msisdn: event.msisdn,
    event: event.event,
    cell_id: event.cellId,
    peer: event.peer,
    duration_s: event.durationSec,
  });
}
