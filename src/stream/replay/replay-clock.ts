// The stream's clock during a paced replay of recorded days: it starts at the replay's first event time
// and runs `speed` times faster than the wall clock, so the skew check (engine/event-gate.ts) compares
// replayed events with where the replay is, not with today.
import type { Clock } from '../../shared/clock.ts';
import { DEFAULT_UTC_OFFSET_MINUTES, MS_PER_MINUTE } from '../events/event-time.ts';

export interface ReplayClockOptions {
  /** Event time (local wall time, as event times are held) at which the replay starts. */
  startEventMs: number;
  /** Event time per wall time. */
  speed: number;
  wall: Clock;
  utcOffsetMinutes?: number;
}

export function createReplayClock(options: ReplayClockOptions): Clock {
  const startWallMs = options.wall.nowMs();
  // Event times are local wall time; a Clock tells UTC instants, which the gate moves to local time again.
  const startInstantMs =
    options.startEventMs - (options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES) * MS_PER_MINUTE;
  const nowMs = () => startInstantMs + (options.wall.nowMs() - startWallMs) * options.speed;
  return { nowMs, now: () => new Date(nowMs()) };
}
