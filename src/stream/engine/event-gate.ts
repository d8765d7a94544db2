// The stream's door: a well-formed event still makes no decision when its time is far from the stream's
// clock (a probe dated 1970 or 2099, a batch of the wrong day) or its cell is not in the cells feed
// (`abc`, a typo, a cell not yet delivered). Either is rejected with a reason and counted, so an
// operator sees bad input in the status instead of marketing decisions made on it.
import type { Clock } from '../../shared/clock.ts';
import { DEFAULT_UTC_OFFSET_MINUTES, formatEventTime, localWallTime, MS_PER_SECOND } from '../events/event-time.ts';
import type { RejectionCode, SignallingEvent } from '../events/signalling-event.ts';
import type { CellDirectory } from '../geofences/cell-directory.ts';

export interface EventGateOptions {
  cells: CellDirectory;
  /** The stream's clock: wall time for a live stream, the replay's position for a paced replay. */
  clock: Clock;
  /** Largest distance between an event's time and the clock, in seconds; 0 turns the check off. */
  maxSkewSec: number;
  /** The operator's local time (minutes east of UTC), the time event times are written in. */
  utcOffsetMinutes?: number;
}

export interface Rejection {
  code: RejectionCode;
  reason: string;
}

export interface EventGate {
  /** Undefined when the event may go to the engine; otherwise why not. */
  check(event: SignallingEvent): Rejection | undefined;
}

export function createEventGate(options: EventGateOptions): EventGate {
  const maxSkewMs = options.maxSkewSec * MS_PER_SECOND;
  const offset = options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES;
  const skewText = describeSeconds(options.maxSkewSec);
  return {
    check(event) {
      if (maxSkewMs > 0) {
        const skewMs = event.tsMs - localWallTime(options.clock.nowMs(), offset);
        if (skewMs > maxSkewMs || skewMs < -maxSkewMs)
          return {
            code: 'clock_skew',
            reason: `ts "${formatEventTime(event.tsMs)}" is more than ${skewText} ${skewMs > 0 ? 'ahead of' : 'behind'} the stream's clock (stream.maxSkewSec)`,
          };
      }
      if (options.cells.find(event.cellId) === undefined)
        return { code: 'unknown_cell', reason: `cell_id "${event.cellId}" is not in the cells feed` };
      return undefined;
    },
  };
}

function describeSeconds(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} d`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}
