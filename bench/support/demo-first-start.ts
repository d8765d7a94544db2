// One `telmark demo` first start from a clean folder, as `npm start` meets a newcomer: the time until
// "Telmark is running", then, while the background work runs (demo campaigns, models), the slowest
// answer of /api/health polled every 100 ms (a frozen event loop shows there), until the process
// notes that its background work is done; then Ctrl+C (SIGINT) and the time to a clean exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FirstStart {
  toRunningMs: number;
  backgroundMs: number;
  /** The slowest /api/health answer while the background work ran. */
  slowestHealthMs: number;
  probes: number;
  /** The slowest of `idleProbes` answers after the background work (0 when none were asked). */
  idleSlowestHealthMs: number;
  stopMs: number;
  exitCode: number | null;
  output: string;
}

export async function measureDemoFirstStart(options: {
  bin: string;
  cwd: string;
  subscribers: number;
  /** Seen in the output when the background work is over. */
  doneWhen: RegExp;
  timeoutMs?: number;
  extraArgs?: string[];
  /** After the background work: this many /api/health answers on an idle server, for a baseline. */
  idleProbes?: number;
}): Promise<FirstStart> {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-first-start-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [options.bin, 'demo', '--subscribers', String(options.subscribers), '--port', '0', ...(options.extraArgs ?? [])],
    {
      cwd: options.cwd,
      env: { ...process.env, TELMARK_DB: join(dir, 'demo.duckdb'), TELMARK_DEMO_DIR: join(dir, 'demo-data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const waiters: (() => void)[] = [];
  const onText = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const deadline = started + (options.timeoutMs ?? 600_000);
  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const match = output.match(pattern);
      if (match) return match;
      if (performance.now() > deadline || child.exitCode !== null)
        throw new Error(`demo first start: no ${pattern} in time; output:\n${output}`);
      await new Promise<void>((done) => {
        waiters.push(done);
        setTimeout(done, 200);
      });
    }
  };
  try {
    const running = await waitFor(/Telmark is running: (http:\/\/\S+)/);
    const toRunningMs = performance.now() - started;
    const url = running[1]!;
    let slowestHealthMs = 0;
    let probes = 0;
    while (!options.doneWhen.test(output)) {
      if (performance.now() > deadline || child.exitCode !== null)
        throw new Error(`demo first start: background work did not end; output:\n${output}`);
      const t0 = performance.now();
      await fetch(`${url}/api/health`).then((r) => r.arrayBuffer());
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - t0);
      probes++;
      await new Promise((done) => setTimeout(done, 100));
    }
    const backgroundMs = performance.now() - started - toRunningMs;
    let idleSlowestHealthMs = 0;
    for (let i = 0; i < (options.idleProbes ?? 0); i++) {
      const t0 = performance.now();
      await fetch(`${url}/api/health`).then((r) => r.arrayBuffer());
      idleSlowestHealthMs = Math.max(idleSlowestHealthMs, performance.now() - t0);
      await new Promise((done) => setTimeout(done, 100));
    }
    const stopping = performance.now();
    child.kill('SIGINT');
    const exitCode = await exited;
    return {
      toRunningMs,
      backgroundMs,
      slowestHealthMs,
      probes,
      idleSlowestHealthMs,
      stopMs: performance.now() - stopping,
      exitCode,
      output,
    };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
