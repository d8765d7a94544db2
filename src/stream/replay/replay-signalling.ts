// Replays generated signalling (`signalling_YYYYMMDD.csv[.gz]` files) as stream lines, paced by event
// time: at speed 60, one minute of events per second. Speed 0 sends as fast as the target takes them.
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { formatEventTime } from '../events/event-time.ts';
import { createEventLineParser, formatEventLine } from '../events/parse-event-line.ts';

export interface ReplayTarget {
  /** One event line; `msisdn` is its subscriber (a partitioned target picks the partition by it). */
  write(line: string, msisdn: string): Promise<void> | void;
  close(): Promise<void>;
}

export interface ReplayOptions {
  from: string;
  speed: number;
  target: ReplayTarget;
  clock: Clock;
  /** Stop after this many events. */
  limit?: number;
  /** Lines sent as CSV rows rather than JSON. */
  csv?: boolean;
  onProgress?: (sent: number, eventTs: string) => void;
  /** Skip events whose time of day is before this, "HH:MM" (the demo starts in the morning, not at midnight). */
  fromTimeOfDay?: string;
  /** Stop as soon as this says so (checked before each event). */
  stopped?: () => boolean;
}

export function signallingFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read ${dir}: ${(error as Error).message}`, { location: { file: dir } });
  }
  const files = names.filter((n) => /^signalling_\d{8}\.csv(\.gz)?$/.test(n)).sort();
  if (files.length === 0)
    throw new AppError('INPUT_INVALID', `no signalling_YYYYMMDD.csv files in ${dir}`, {
      location: { file: dir },
      hint: 'generate them with `telmark generate --out DIR`',
    });
  return files.map((n) => join(dir, n));
}

export async function replaySignalling(options: ReplayOptions): Promise<{ sent: number; rejected: number }> {
  let sent = 0;
  let rejected = 0;
  let firstEventMs: number | undefined;
  let startWallMs = 0;
  for (const file of signallingFiles(options.from)) {
    const parser = createEventLineParser();
    const input = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      const outcome = parser.parse(line);
      if (outcome.kind === 'skip') continue;
      if (outcome.kind === 'reject') {
        rejected++;
        continue;
      }
      const event = outcome.event;
      if (options.stopped?.()) return { sent, rejected };
      if (options.fromTimeOfDay && formatEventTime(event.tsMs).slice(11, 16) < options.fromTimeOfDay) continue;
      if (options.speed > 0) {
        if (firstEventMs === undefined) {
          firstEventMs = event.tsMs;
          startWallMs = options.clock.nowMs();
        }
        const dueMs = startWallMs + (event.tsMs - firstEventMs) / options.speed;
        const waitMs = dueMs - options.clock.nowMs();
        if (waitMs > 5) await sleep(waitMs);
      }
      await options.target.write(options.csv ? line : formatEventLine(event, formatEventTime), event.msisdn);
      sent++;
      if (sent % 10_000 === 0) options.onProgress?.(sent, formatEventTime(event.tsMs));
      if (options.limit !== undefined && sent >= options.limit) return { sent, rejected };
    }
  }
  return { sent, rejected };
}
