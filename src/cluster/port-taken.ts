// A port picked free can be taken by another process before the server we start binds it (tests run two
// files at once; a ClickHouse shard died with "Address already in use" once in a full run, and its start
// then waited 60 s for an answer that could not come). The start notices the server's exit, reads why
// from the log it wrote during this attempt, and, when the reason is a taken port, tries again on fresh
// ports instead of failing.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { AppError } from '../shared/errors.ts';
import { freePorts } from './free-port.ts';

/** A server exited because one of its ports was in use when it tried to bind it. */
export class PortTakenError extends AppError {
  constructor(server: string, logFile: string, logLine: string) {
    super('INTERNAL', `${server} could not listen: a port picked for it was taken by another process`, {
      location: { file: logFile },
      hint: logLine.trim(),
    });
  }
}

/** Picks `count` ports; the default asks the OS. Tests give a picker that hands out a taken port first. */
export type PortPicker = (count: number) => Promise<number[]>;

const ATTEMPTS = 3;

/**
 * Runs `start` on freshly picked ports, again on new ones while it fails with PortTakenError (at most
 * 3 attempts). `start` must have stopped whatever it started before it throws.
 */
export async function onFreshPorts<T>(
  count: number,
  start: (ports: number[]) => Promise<T>,
  pick: PortPicker = freePorts,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await pick(count));
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Where a log file ends now, so that a later read sees only what this attempt's server wrote. */
export function logEnd(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** The first line written to `file` after `from` that says a port was in use, if any. */
export function portInUseLine(file: string, from: number): string | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size <= from) return undefined;
  const buffer = Buffer.alloc(Math.min(size - from, 1 << 20));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  // ClickHouse: "Net Exception: Address already in use: 127.0.0.1:38879";
  // nats-server: "listen tcp 127.0.0.1:4222: bind: address already in use".
  return buffer
    .toString('utf8')
    .split('\n')
    .find((line) => /address already in use/i.test(line));
}
