// A signalling event on the stream (the `signalling` feed of DESIGN.md) and the outcome of parsing one line.
import { signallingEvents } from '../../feeds/contract.ts';

export type SignallingEventKind = (typeof signallingEvents)[number];

export interface SignallingEvent {
  /** Event time: local wall time as ms (see event-time.ts). */
  tsMs: number;
  msisdn: string;
  event: SignallingEventKind;
  cellId: string;
  /** The other party (a number dialled or texted); empty when none. */
  peer: string;
  durationSec: number;
}

/**
 * Why a line or an event was turned away, counted per code in the stream's status: the line could not
 * be read as an event, its time is too far from the stream's clock, or its cell is not in the cells feed.
 */
export type RejectionCode = 'malformed' | 'clock_skew' | 'unknown_cell';

export const rejectionCodes: readonly RejectionCode[] = ['malformed', 'clock_skew', 'unknown_cell'];

/** Every line gets an outcome: an event, a reason for rejecting it, or a skip (blank line, CSV header). */
export type LineOutcome =
  | { kind: 'event'; event: SignallingEvent }
  | { kind: 'reject'; code: RejectionCode; reason: string }
  | { kind: 'skip' };

export const eventKindCodes: Readonly<Record<SignallingEventKind, number>> = {
  call_out: 0,
  call_in: 1,
  sms_out: 2,
  sms_in: 3,
  location_update: 4,
  attach: 5,
  detach: 6,
};

export function isSignallingEventKind(value: unknown): value is SignallingEventKind {
  return typeof value === 'string' && Object.hasOwn(eventKindCodes, value);
}

export { signallingEvents };
