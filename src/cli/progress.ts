// A progress bar on a terminal, silence elsewhere (pipes, CI, tests).
// cli-progress (with string-width and its emoji table) is required only when there is a terminal to
// draw on: loading it costs about as much as commander, and every command makes a context.
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  increment(by?: number): void;
  stop(): void;
}

export const silentProgress: Progress = {
  start() {},
  update() {},
  increment() {},
  stop() {},
};

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ' {bar} {percentage}% | {value}/{total} | {label} | eta {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    start(total, label) {
      if (active) bar.stop();
      bar.start(total, 0, { label });
      active = true;
    },
    update(done, label) {
      bar.update(done, label === undefined ? undefined : { label });
    },
    increment(by = 1) {
      bar.increment(by);
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
