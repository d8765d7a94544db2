// Node 20's test runner takes no glob, so this finds the test files and hands them over.
// `npm test -- test/warehouse` narrows the run to the files under the given paths.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(path) {
  if (statSync(path).isFile()) return path.endsWith('.test.ts') ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => findTests(join(path, name)));
}

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];
const files = roots.flatMap(findTests);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
// Browser tests serve web/dist. Build it once here when it is missing or older than its sources:
// test files running side by side must not each build it (two Vite builds into one folder race).
function newestChange(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}
if (files.some((file) => /(^|\/)web\/|page/.test(file))) {
  const built = join('web', 'dist', 'index.html');
  const sources = Math.max(...['web/src', 'web/index.html', 'web/vite.config.ts'].map(newestChange));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      console.error('the web dashboard does not build: the browser tests cannot run');
      process.exit(1);
    }
  }
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
