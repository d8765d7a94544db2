// Whole-process timing for the startup and rules benchmarks: a command is run as a user runs it
// (a fresh node process, start-up, file reading and output included) and its wall time taken.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const telmarkBin = join(repository, 'bin', 'telmark.js');

export interface ProcessRun {
  ms: number;
  /** CPU time of the process itself (user, all its threads), from bench/support/report-cpu.mjs. */
  userMs: number;
  stdout: string;
  stderr: string;
}

const reportCpu = join(repository, 'bench', 'support', 'report-cpu.mjs');

/** Runs node with the arguments; stdout goes to `stdoutFile` when given (as a user redirecting it). */
export function timeProcess(args: string[], stdoutFile?: string): ProcessRun {
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'telmark-bench-cpu-'));
  const cpuFile = join(scratch, 'cpu.json');
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['--import', reportCpu, ...args], {
      cwd: repository,
      encoding: 'utf8',
      stdio: ['ignore', fd ?? 'pipe', 'pipe'],
      maxBuffer: 1 << 28,
      env: { ...process.env, TELMARK_BENCH_CPU_FILE: cpuFile },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
    const { userMs } = JSON.parse(readFileSync(cpuFile, 'utf8')) as { userMs: number };
    return { ms, userMs, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Builds dist/ as `npm install` does, so the benchmark measures what a user runs. */
export function buildCompiled(): void {
  timeProcess([join(repository, 'scripts', 'build.mjs')]);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
