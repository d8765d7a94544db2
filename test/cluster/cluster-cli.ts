// The `telmark` command as the cluster tests run it: a child process in a working folder of its own (a
// load on the cluster keeps its anomalies in the default `--db` file of the working folder, which must
// not land in the repository), and the skip reason where Debian's clickhouse-server is missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

const cli = resolve(import.meta.dirname, '../../bin/telmark.js');
const workFolder = mkdtempSync(join(tmpdir(), 'telmark-cluster-cwd-'));
after(() => rmSync(workFolder, { recursive: true, force: true }));

export const clickhouseSkip: string | false =
  spawnSync('sh', ['-c', 'command -v clickhouse-server || test -x /usr/sbin/clickhouse-server']).status === 0
    ? false
    : 'clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client)';

export function telmark(args: string[], timeoutMs = 300_000): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: timeoutMs, cwd: workFolder });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}
