// Builds src/**/*.ts into dist/**/*.js (same tree, so paths relative to import.meta.url still point
// at examples/ and web/dist). Runs as the package's `prepare` script on `npm install` and `npm ci`,
// so a clone runs compiled JavaScript without a separate build step; bin/telmark.js falls back to tsx
// while dist/ is missing or older than a source file.
//
// esbuild transpiles file by file (no type check: `npm test` does that) in well under a second; tsc
// with rewriteRelativeImportExtensions emits the same but takes 10-30 s. esbuild cannot rewrite
// import specifiers by itself, so every import is resolved by the small plugin below, which marks it
// external and turns a relative `./x.ts` into `./x.js`: nothing is bundled, each file stays a module.
import { existsSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleRulesCommand } from './bundle-rules-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src');
const out = join(root, 'dist');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const rewriteImports = {
  name: 'rewrite-ts-imports',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relative = args.path.startsWith('./') || args.path.startsWith('../');
      return { path: relative ? args.path.replace(/\.(m|c)?tsx?$/, '.$1js') : args.path, external: true };
    });
  },
};

const started = Date.now();
// Built beside dist/ and swapped in by renames, so a telmark started during a build runs either the
// old build or the new one, never a half-written tree.
const next = `${out}.next`;
rmSync(next, { recursive: true, force: true });
const entryPoints = sourceFiles(source);
await build({
  entryPoints,
  outdir: next,
  outbase: source,
  bundle: true,
  plugins: [rewriteImports],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
});
await bundleRulesCommand({ source, outdir: next });
// The stamp's mtime is the build's start: bin/telmark.js treats dist/ as stale when any file or
// folder under src/ changed after it (an edit, a new file, a rename).
const stamp = join(next, '.build-stamp');
writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
utimesSync(stamp, new Date(started), new Date(started));
const previous = `${out}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(out)) renameSync(out, previous);
renameSync(next, out);
rmSync(previous, { recursive: true, force: true });
console.log(`telmark: built ${entryPoints.length} modules into dist/ in ${Date.now() - started} ms`);
