// The local SMSC as a separate process (`telmark smsc --port 0`), driven over its stdin like a person
// would: `mo MSISDN TEXT`, `drop`, `stats`. Its log is its own account of every submit it accepted.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SmscLogEntry } from '../../src/channels/index.ts';

export interface SmscProcess {
  port: number;
  url: string;
  send(line: string): void;
  stats(): Promise<{ accepted: number; throttled: number; maxOutstanding: number; binds: number; mo: number }>;
  log(): SmscLogEntry[];
  stop(): Promise<void>;
}

export async function startSmscProcess(logFile: string, flags: string[] = []): Promise<SmscProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['bin/telmark.js', 'smsc', '--port', '0', '--log', logFile, ...flags],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const first = await Promise.race([
    next(),
    new Promise<string>((_, reject) => child.once('exit', (code) => reject(new Error(`smsc exited ${code}`)))),
  ]);
  const port = (JSON.parse(first) as { port: number }).port;
  return {
    port,
    url: `smpp://telmark:secret@127.0.0.1:${port}`,
    send: (line) => child.stdin.write(`${line}\n`),
    stats: async () => {
      const reply = next();
      child.stdin.write('stats\n');
      return JSON.parse(await reply);
    },
    log: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as SmscLogEntry),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
