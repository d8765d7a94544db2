#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm install` / `npm ci` through the `prepare`
// script, or `npm run build`) when it is there and not stale, and the TypeScript sources through tsx
// otherwise, so an edit to src/ is never shadowed by an old build. TELMARK_TSX=1 forces tsx.
//
// Staleness is judged cheaply: the build stamps dist/.build-stamp with the time the build started;
// dist/ is stale when any file or folder under src/ has a later mtime (an edit, a new file, a rename
// or a deletion). That is a readdir per folder and ~500 stats, a few milliseconds, against ~0.5 s for
// tsx (readdirSync's own `recursive` option took 20-40 ms of a cold process for the same listing).
//
// `telmark rules` runs dist/cli/rules-bundle.js, the rules command alone in one file
// (src/cli/rules-main.ts), when the command word is `rules` and only global options come before it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function builtIsFresh() {
  if (process.env.TELMARK_TSX === '1') return false;
  const stamp = statSync(join(root, 'dist', '.build-stamp'), { throwIfNoEntry: false });
  if (!stamp) return false;
  const source = join(root, 'src');
  const sourceStat = statSync(source, { throwIfNoEntry: false });
  if (!sourceStat) return true; // an installed copy shipped without sources
  return !newerThan(source, sourceStat, stamp.mtimeMs);
}

function newerThan(dir, dirStat, mtimeMs) {
  if (dirStat.mtimeMs > mtimeMs) return true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stat = statSync(path);
    if (entry.isDirectory() ? newerThan(path, stat, mtimeMs) : stat.mtimeMs > mtimeMs) return true;
  }
  return false;
}

const globalOptionsWithValue = new Set(['--db', '--format', '--config']);

/** The command word, when only global options with their values come before it. */
function commandOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (globalOptionsWithValue.has(args[i])) i++;
    else if (!/^--(db|format|config)=/.test(args[i])) return args[i];
  }
  return undefined;
}

if (builtIsFresh()) {
  const rulesBundle = join(root, 'dist', 'cli', 'rules-bundle.js');
  if (commandOf(process.argv.slice(2)) === 'rules' && statSync(rulesBundle, { throwIfNoEntry: false }))
    await import('../dist/cli/rules-bundle.js');
  else await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
