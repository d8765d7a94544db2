// Runs the whole `npm test` again and again, optionally beside a busy process, to catch the tests
// that fail only now and then (a race shows under load, not in one quiet run). One line per run;
// it stops at the first red run and keeps every run's log.
//   npm run soak -- --runs 20 --hog
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const usage = `usage: npm run soak -- [--runs N] [--hog] [--keep-going] [--logs DIR]
  --runs N       how many runs of npm test (default 20)
  --hog          keep one core busy beside the tests, as another heavy process on the machine would
  --keep-going   go on after a red run (default: stop at the first one)
  --logs DIR     where each run's output is kept (default soak-logs/)`;

function parseArgs(argv) {
  const options = { runs: 20, hog: false, keepGoing: false, logs: 'soak-logs' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--hog') options.hog = true;
    else if (arg === '--keep-going') options.keepGoing = true;
    else if (arg === '--runs' || arg === '--logs') {
      const value = argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      if (arg === '--logs') options.logs = value;
      else if (!/^[1-9]\d{0,3}$/.test(value)) fail(`--runs must be a whole number from 1 to 9999, not '${value}'`);
      else options.runs = Number(value);
    } else fail(`unknown argument '${arg}'`);
  }
  return options;
}

function fail(message) {
  console.error(`soak: ${message}\n${usage}`);
  process.exit(2);
}

// The runner's own summary lines ("# tests 856", "# fail 0", …) say more than its exit code:
// an exit 1 with "# fail 0" is a failure of its own kind (a child left running, a hook that threw).
function summarise(log) {
  const counts = {};
  for (const match of log.matchAll(/^# (tests|pass|fail|cancelled|skipped) (\d+)$/gm))
    counts[match[1]] = Number(match[2]);
  return counts;
}

// The runs get a temp folder of their own (TMPDIR), kept across runs so the fixture caches are built
// once: what a run leaves there is the tests' doing, not another program's working at the same time.
const runTemp = mkdtempSync(join(tmpdir(), 'soak-'));

// What a run leaves in that folder: each test file should clean up after itself. The demo-warehouse
// fixtures are caches kept on purpose (named by the generator's version), so they do not count.
function telmarkTempFolders() {
  return new Set(readdirSync(runTemp).filter((name) => name.startsWith('telmark-') && !/-fixture-/.test(name)));
}

// The run under way, so that stopping the soak stops it too (its own process group: npm, the test
// runner and the servers the tests start).
let running;

function runOnce(logPath) {
  return new Promise((done) => {
    const log = createWriteStream(logPath);
    const child = spawn('npm', ['test'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: runTemp },
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    running = child;
    child.on('close', (code, signal) => {
      running = undefined;
      log.end(() => done({ code: code ?? 1, signal }));
    });
  });
}

const options = parseArgs(process.argv.slice(2));
const logs = resolve(options.logs);
mkdirSync(logs, { recursive: true });

const hog = options.hog ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : undefined;
process.on('exit', () => {
  hog?.kill('SIGKILL');
  if (running?.pid) {
    try {
      process.kill(-running.pid, 'SIGTERM');
    } catch {
      // the group has ended already
    }
  }
  rmSync(runTemp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

console.log(`soak: ${options.runs} runs of npm test${options.hog ? ' beside a busy core' : ''}; logs in ${logs}`);
const seconds = [];
let red = 0;
for (let run = 1; run <= options.runs; run++) {
  const before = telmarkTempFolders();
  const logPath = join(logs, `run-${run}.log`);
  const started = Date.now();
  const { code, signal } = await runOnce(logPath);
  const took = Math.round((Date.now() - started) / 1000);
  seconds.push(took);
  const counts = summarise(readFileSync(logPath, 'utf8'));
  const left = [...telmarkTempFolders()].filter((name) => !before.has(name));
  const green = code === 0 && counts.fail === 0 && (counts.cancelled ?? 0) === 0;
  const why = !green
    ? code !== 0 && counts.fail === 0 && counts.cancelled === 0
      ? '  <- exit code without a failed test: read the end of the log'
      : '  <- red'
    : left.length > 0
      ? '  <- green, but it left temp folders behind'
      : '';
  console.log(
    `run ${run}/${options.runs}: exit ${signal ?? code}, tests ${counts.tests ?? '?'}, pass ${counts.pass ?? '?'}, ` +
      `fail ${counts.fail ?? '?'}, cancelled ${counts.cancelled ?? '?'}, ${took} s, ` +
      `new temp folders ${left.length}${left.length > 0 ? ` (${left.join(', ')})` : ''}${why}`,
  );
  if (!green) {
    red++;
    if (!options.keepGoing) break;
  }
}
const sorted = [...seconds].sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)];
console.log(
  `soak: ${seconds.length - red} green of ${seconds.length} runs; median ${median} s, longest ${sorted.at(-1)} s`,
);
process.exit(red > 0 ? 1 : 0);
