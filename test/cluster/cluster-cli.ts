// The `telmark` command as the cluster tests run it: a child process in a working folder of its own (a
// load on the cluster keeps its anomalies in the default `--db` file of the working folder, which must
// not land in the repository), and the skip reason where Debian's clickhouse-server is missing.
import assert from 'node:assert/strict';
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

/**
 * A 2-shard cluster under `folder/nodes` and one generated feed loaded twice: into the DuckDB file
 * `duckdb` and into the cluster (its operational store `stateFile`, else the working folder's default).
 */
export function clusterWithFeeds(
  folder: string,
  feed: { subscribers: number; days: number; signallingPerSub: number },
  files: { duckdb: string; stateFile?: string },
): { url: string; feeds: string } {
  const feeds = join(folder, 'feeds');
  const up = telmark(['cluster', 'up', '--folder', join(folder, 'nodes'), '--format', 'json']);
  assert.equal(up.code, 0, up.stderr);
  const url = (JSON.parse(up.stdout) as { warehouse: string }).warehouse;
  const generated = telmark([
    'generate',
    '--out',
    feeds,
    '--subscribers',
    String(feed.subscribers),
    '--days',
    String(feed.days),
    '--signalling-days',
    'all',
    '--signalling-per-sub',
    String(feed.signallingPerSub),
  ]);
  assert.equal(generated.code, 0, generated.stderr);
  const local = telmark(['--db', files.duckdb, 'load', feeds]);
  assert.equal(local.code, 0, local.stderr);
  const loaded = telmark([...(files.stateFile ? ['--db', files.stateFile] : []), '--warehouse', url, 'load', feeds]);
  assert.equal(loaded.code, 0, loaded.stderr);
  return { url, feeds };
}
