// CPU time of this process's threads, from /proc (Linux): the main thread ("main": JavaScript and the
// synchronous native calls) apart from the others (libuv's pool, where every @duckdb/node-api call
// runs, DuckDB's own threads and V8's helpers, all named "node" on Node 20). process.cpuUsage() gives
// only their sum; the split says whether a request's CPU goes to JavaScript or to the engine. Empty
// where /proc is missing.
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of user and system time per thread name, summed over threads of the same name. */
export function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  // Clock ticks per second: 100 on every Linux this runs on (USER_HZ).
  const tickMs = 10;
  for (const task of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // "pid (comm) state …": the name may hold spaces, so split at the last parenthesis.
    // The main thread (its id is the process id) is named apart: DuckDB's threads inherit its name.
    const name = task === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    const ms = (Number(fields[11]) + Number(fields[12])) * tickMs;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  return byName;
}

/** What each thread name spent between two readings. */
export function threadCpuSince(before: Map<string, number>): Map<string, number> {
  const spent = new Map<string, number>();
  for (const [name, ms] of threadCpuMs()) spent.set(name, ms - (before.get(name) ?? 0));
  return spent;
}
