// Preloaded (`node --import`) into a benchmarked process: on exit it writes the process's CPU time
// (user and system, all threads, in ms) to the file named by TELMARK_BENCH_CPU_FILE. CPU time is what
// a busy machine inflates least, so the process benchmarks report it beside the wall time.
import { writeFileSync } from 'node:fs';

const file = process.env.TELMARK_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ userMs: user / 1000, systemMs: system / 1000 }));
  });
}
