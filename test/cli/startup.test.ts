// Issue 16: start-up. `telmark --help` must not load the modules of every command (DuckDB, Fastify,
// zod, the mining code ...), and bin/telmark.js runs dist/ only while it is not older than src/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = fileURLToPath(new URL('./record-loaded-modules.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'telmark-startup-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The modules (paths relative to the repository, or node: names) one telmark run resolves. */
function modulesLoadedBy(args: string[]): string[] {
  const record = join(scratch, `modules-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}.txt`);
  writeFileSync(join(scratch, 'baskets.csv'), 'a,b\na,b,c\nb,c\n');
  const result = spawnSync(process.execPath, ['--import', recorder, join(root, 'bin/telmark.js'), ...args], {
    cwd: scratch,
    encoding: 'utf8',
    // the sources through tsx, so the test does not depend on whether dist/ is built and fresh
    env: { ...process.env, TELMARK_TSX: '1', TELMARK_RECORD_MODULES: record },
  });
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(record, 'utf8')
    .split('\n')
    .map((url) => url.replace(`file://${root}`, ''));
}

/** Third-party packages loaded, by name (tsx and esbuild are the development fallback's own). */
function packagesIn(modules: string[]): string[] {
  const names = modules
    .map((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'tsx' && name !== 'esbuild');
  return [...new Set(names)].sort();
}

describe('start-up', () => {
  it('telmark --help loads commander and the command definitions, nothing heavy', () => {
    const modules = modulesLoadedBy(['--help']);
    assert.deepEqual(packagesIn(modules), ['commander']);
    const heavy = modules.filter((m) => /^src\/(warehouse|api|stream|mining|metrics|config|feeds)\//.test(m));
    assert.deepEqual(heavy, [], 'import these inside the command action (see src/cli/commands/index.ts)');
  });

  it('telmark rules --help loads no more than --help', () => {
    assert.deepEqual(packagesIn(modulesLoadedBy(['rules', '--help'])), ['commander']);
  });

  it('telmark rules on a basket file loads no DuckDB, no Fastify, no React, no zod', () => {
    const modules = modulesLoadedBy(['rules', '--baskets', 'baskets.csv', '--min-support', '0.5', '--format', 'csv']);
    const packages = packagesIn(modules);
    for (const heavy of ['@duckdb/node-api', 'fastify', 'react', 'react-dom', 'zod'])
      assert.ok(!packages.includes(heavy), `${heavy} loaded: ${packages.join(', ')}`);
    assert.ok(!modules.some((m) => m.startsWith('src/warehouse/')));
  });
});

describe('bin/telmark.js', () => {
  // A miniature package: the real launcher, a src/ and a dist/ whose entry points say which ran.
  const pkg = join(scratch, 'pkg');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  mkdirSync(join(pkg, 'src/cli'), { recursive: true });
  mkdirSync(join(pkg, 'dist/cli'), { recursive: true });
  copyFileSync(join(root, 'bin/telmark.js'), join(pkg, 'bin/telmark.js'));
  writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  writeFileSync(join(pkg, 'src/cli/main.ts'), "const from: string = 'typescript';\nconsole.log(from);\n");
  writeFileSync(join(pkg, 'dist/cli/main.js'), "console.log('javascript');\n");
  writeFileSync(join(pkg, 'dist/cli/rules-bundle.js'), "console.log('rules bundle');\n");
  const stamp = join(pkg, 'dist/.build-stamp');
  const run = (env: Record<string, string> = {}, args: string[] = []) =>
    spawnSync(process.execPath, [join(pkg, 'bin/telmark.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, TELMARK_TSX: '', ...env },
    }).stdout.trim();
  const setTimes = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it('falls back to tsx while there is no build', () => {
    assert.equal(run(), 'typescript');
  });

  it('runs the build while no source file or folder is newer than its stamp', () => {
    writeFileSync(stamp, '');
    for (const path of ['src', 'src/cli', 'src/cli/main.ts']) setTimes(join(pkg, path), 1_000_000);
    setTimes(stamp, 2_000_000);
    assert.equal(run(), 'javascript');
    assert.equal(run({ TELMARK_TSX: '1' }), 'typescript');
  });

  it('treats the build as stale after an edit or a new file', () => {
    setTimes(join(pkg, 'src/cli/main.ts'), 3_000_000);
    assert.equal(run(), 'typescript');
    setTimes(join(pkg, 'src/cli/main.ts'), 1_000_000);
    assert.equal(run(), 'javascript');
    setTimes(join(pkg, 'src/cli'), 3_000_000); // a file added, removed or renamed in src/cli
    assert.equal(run(), 'typescript');
    setTimes(join(pkg, 'src/cli'), 1_000_000);
  });

  it('runs the rules bundle for `telmark rules`, after global options too, and main.js otherwise', () => {
    assert.equal(run({}, ['rules', '--baskets', 'b.csv']), 'rules bundle');
    assert.equal(run({}, ['--format', 'csv', '--db=x.duckdb', 'rules']), 'rules bundle');
    assert.equal(run({}, ['--help', 'rules']), 'javascript');
    assert.equal(run({}, ['kpi', 'rules']), 'javascript');
    assert.equal(run({}, []), 'javascript');
    assert.equal(run({ TELMARK_TSX: '1' }, ['rules']), 'typescript');
    rmSync(join(pkg, 'dist/cli/rules-bundle.js')); // a build from before the bundle
    assert.equal(run({}, ['rules']), 'javascript');
  });
});
