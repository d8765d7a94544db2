// Turns one stream line (a JSON object, or a CSV row of the signalling feed) into an event or a reason.
// A bad line never throws: the caller counts the rejection and carries on.
import { isSignallingEventKind, type LineOutcome, type SignallingEvent } from './signalling-event.ts';
import { parseEventTime } from './event-time.ts';
import { type ScannedFields, scanJsonLine } from './scan-json-line.ts';

const CONTRACT_COLUMNS = ['ts', 'msisdn', 'event', 'cell_id', 'peer', 'duration_s'] as const;

export interface EventLineParser {
  parse(line: string): LineOutcome;
}

interface Reusable {
  event: SignallingEvent;
  outcome: { kind: 'event'; event: SignallingEvent };
}

/**
 * A parser that remembers the column order of the last CSV header it saw. With `reuse`, every event
 * outcome is the same object, overwritten by the next line: for loops that use each event at once
 * (the stream loop), it spares the garbage collector two objects a line.
 */
export function createEventLineParser(options: { reuse?: boolean } = {}): EventLineParser {
  let target: Reusable | undefined;
  if (options.reuse) {
    const event: SignallingEvent = { tsMs: 0, msisdn: '', event: 'call_out', cellId: '', peer: '', durationSec: 0 };
    target = { event, outcome: { kind: 'event', event } };
  }
  let columns: readonly string[] = CONTRACT_COLUMNS;
  let index = columnIndex(columns);
  return {
    parse(line: string): LineOutcome {
      if (line.charCodeAt(0) === 123 /* { */) return parseJsonLine(line, target);
      const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
      if (text.trim() === '') return { kind: 'skip' };
      if (text.startsWith('ts,') || text.includes(',msisdn,') || text.startsWith('msisdn,')) {
        columns = text.split(',').map((c) => c.trim());
        index = columnIndex(columns);
        const missing = CONTRACT_COLUMNS.filter((c) => c !== 'peer' && index[c] === undefined);
        if (missing.length > 0) {
          columns = CONTRACT_COLUMNS;
          index = columnIndex(columns);
          return { kind: 'reject', reason: `CSV header lacks ${missing.join(', ')}` };
        }
        return { kind: 'skip' };
      }
      const cells = text.split(',');
      if (cells.length < columns.length - 1)
        return { kind: 'reject', reason: `CSV row has ${cells.length} fields, header has ${columns.length}` };
      return validate(
        cells[index.ts!],
        cells[index.msisdn!],
        cells[index.event!],
        cells[index.cell_id!],
        index.peer === undefined ? '' : cells[index.peer],
        cells[index.duration_s!],
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

function parseJsonLine(text: string, target: Reusable | undefined): LineOutcome {
  if (scanJsonLine(text, scanned))
    return validate(scanned.ts, scanned.msisdn, scanned.event, scanned.cellId, scanned.peer, scanned.duration, target);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'reject', reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'reject', reason: 'JSON line is not an object' };
  const o = value as Record<string, unknown>;
  return validate(o.ts, o.msisdn, o.event, o.cell_id, o.peer, o.duration_s, target);
}

function validate(
  ts: unknown,
  msisdn: unknown,
  event: unknown,
  cellId: unknown,
  peer: unknown,
  duration: unknown,
  target?: Reusable,
): LineOutcome {
  if (typeof ts !== 'string') return { kind: 'reject', reason: 'ts is missing' };
  const tsMs = parseEventTime(ts);
  if (Number.isNaN(tsMs)) return { kind: 'reject', reason: `ts "${ts}" must be YYYY-MM-DD HH:MM:SS[.mmm]` };
  const number = typeof msisdn === 'number' ? String(msisdn) : msisdn;
  if (typeof number !== 'string' || number.length !== 11 || !isDigits(number))
    return { kind: 'reject', reason: `msisdn "${String(msisdn)}" must have 11 digits` };
  if (!isSignallingEventKind(event))
    return { kind: 'reject', reason: `event "${String(event)}" is not a signalling event` };
  if (typeof cellId !== 'string' || cellId === '' || cellId.length > 32)
    return { kind: 'reject', reason: `cell_id "${String(cellId)}" must be LAC-CI` };
  const peerText = peer === undefined || peer === null ? '' : String(peer);
  if (peerText !== '' && (peerText.length > 20 || !isDigits(peerText)))
    return { kind: 'reject', reason: `peer "${peerText}" must be digits` };
  const durationSec = duration === undefined || duration === '' ? 0 : Number(duration);
  if (!Number.isInteger(durationSec) || durationSec < 0 || durationSec > 86400)
    return { kind: 'reject', reason: `duration_s "${String(duration)}" must be 0..86400` };
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
