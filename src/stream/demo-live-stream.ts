// The live part of `telmark demo`: the demo operator's signalling replayed into a file that a stream
// session follows, with the example rules and simulated responses, so a newcomer sees the live area
// view move. Same pieces as `telmark replay --to FILE` beside `telmark stream --source FILE --follow`.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Clock } from '../shared/clock.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { demoPropensity } from './effect/demo-propensity.ts';
import { setLiveStream } from './live-stream.ts';
import { parseEventTime } from './events/event-time.ts';
import { createReplayClock } from './replay/replay-clock.ts';
import { replaySignalling, signallingFiles } from './replay/replay-signalling.ts';
import { openReplayTarget } from './replay/replay-targets.ts';
import { openStreamSession } from './stream-session.ts';

export interface DemoLiveStreamOptions {
  warehouse: Warehouse;
  /** Folder of the generated feeds, holding signalling_YYYYMMDD.csv. */
  demoDir: string;
  rulesFile: string;
  /** The generator's seed, for the planted propensity of the simulated responses. */
  seed: number;
  /** Event time per wall time. */
  speed: number;
  /** Time of day the replay starts at, "HH:MM". */
  fromTimeOfDay: string;
  clock: Clock;
  /** Config `stream.maxSkewSec` and `stream.utcOffsetMinutes`. */
  maxSkewSec?: number;
  utcOffsetMinutes?: number;
  note: (text: string) => void;
}

export interface DemoLiveStream {
  stop(): Promise<void>;
}

export async function startDemoLiveStream(options: DemoLiveStreamOptions): Promise<DemoLiveStream> {
  const liveFile = join(tmpdir(), `telmark-live-${process.pid}.jsonl`);
  writeFileSync(liveFile, '');
  // The demo replays recorded days: the stream's clock runs with the replay, from its first day and hour.
  const first = /(\d{4})(\d{2})(\d{2})/.exec(basename(signallingFiles(options.demoDir)[0]!))!;
  const session = await openStreamSession({
    source: liveFile,
    follow: true,
    clock: options.clock,
    streamClock: createReplayClock({
      startEventMs: parseEventTime(`${first[1]}-${first[2]}-${first[3]} ${options.fromTimeOfDay}:00`),
      speed: options.speed,
      wall: options.clock,
      utcOffsetMinutes: options.utcOffsetMinutes,
    }),
    maxSkewSec: options.maxSkewSec,
    utcOffsetMinutes: options.utcOffsetMinutes,
    warehouse: options.warehouse,
    rulesFile: options.rulesFile,
    simulateResponses: demoPropensity(options.seed),
    note: options.note,
  });
  setLiveStream(session);
  const running = session.run().catch((error: unknown) => options.note(`stream stopped: ${String(error)}`));
  const target = await openReplayTarget(`file:${liveFile}`);
  let stopped = false;
  const replaying = replaySignalling({
    from: options.demoDir,
    speed: options.speed,
    target,
    clock: options.clock,
    fromTimeOfDay: options.fromTimeOfDay,
    stopped: () => stopped,
  })
    .then((result) => options.note(`replay finished: ${result.sent.toLocaleString('en')} events`))
    .catch((error: unknown) => options.note(`replay stopped: ${String(error)}`));
  return {
    async stop() {
      stopped = true;
      await replaying;
      await target.close();
      await session.stop();
      await running;
      setLiveStream(undefined);
      rmSync(liveFile, { force: true });
    },
  };
}
