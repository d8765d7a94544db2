#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (built by `npm install` / `npm ci` through the `prepare`
// script, or `npm run build`) when it is there and not stale, and the TypeScript sources through tsx
// otherwise, so an edit to src/ is never shadowed by an old build. TELMARK_TSX=1 forces tsx.
//
// Staleness is judged cheaply: the build stamps dist/.build-stamp with the time the build started;
// dist/ is stale when any file or folder under src/ has a later mtime (an edit, a new file, a rename
// or a deletion). That is one readdir and ~250 stats, a few milliseconds, against ~0.5 s for tsx.
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
  if (sourceStat.mtimeMs > stamp.mtimeMs) return false;
  for (const entry of readdirSync(source, { recursive: true })) {
    if (statSync(join(source, entry)).mtimeMs > stamp.mtimeMs) return false;
  }
  return true;
}

if (builtIsFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
