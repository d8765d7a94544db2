// Only a Clock gives the time, so tests can fix it and cross midnight at will.

export interface Clock {
  now(): Date;
  nowMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
};

export function fixedClock(
  start: Date | string | number,
): Clock & { advance(ms: number): void; set(at: Date | string | number): void } {
  let ms = new Date(start).getTime();
  return {
    now: () => new Date(ms),
    nowMs: () => ms,
    advance(delta: number) {
      ms += delta;
    },
    set(at) {
      ms = new Date(at).getTime();
    },
  };
}
