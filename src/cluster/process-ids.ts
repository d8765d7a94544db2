// Processes started detached from the CLI: their ids are kept in a file of the cluster's folder, so
// `telmark cluster down` (another process, later) stops exactly those and nothing else.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writePids(folder: string, name: string, pids: readonly number[]): void {
  writeFileSync(join(folder, `${name}.pids`), `${pids.join('\n')}\n`);
}

export function readPids(folder: string, name: string): number[] {
  const file = join(folder, `${name}.pids`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

export function forgetPids(folder: string, name: string): void {
  rmSync(join(folder, `${name}.pids`), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once every process is gone. */
export async function stopPids(pids: readonly number[], graceMs = 10_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) {
      for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
