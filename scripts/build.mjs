// Builds src/**/*.ts into dist/**/*.js (same tree, so paths relative to import.meta.url still point
// at examples/ and web/dist). Runs as the package's `prepare` script on `npm install` and `npm ci`,
// so a clone runs compiled JavaScript without a separate build step; bin/telmark.js falls back to tsx
// while dist/ is missing or older than a source file.
//
// esbuild transpiles file by file (no type check: `npm test` does that) in well under a second; tsc
// with rewriteRelativeImportExtensions emits the same but takes 10-30 s. esbuild cannot rewrite
// import specifiers by itself, so every import is resolved by the small plugin below, which marks it
// external and turns a relative `./x.ts` into `./x.js`: nothing is bundled, each file stays a module.
import { readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
rmSync(out, { recursive: true, force: true });
const entryPoints = sourceFiles(source);
await build({
  entryPoints,
  outdir: out,
  outbase: source,
  bundle: true,
  plugins: [rewriteImports],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
});
// The stamp's mtime is the build's start: bin/telmark.js treats dist/ as stale when any file or
// folder under src/ changed after it (an edit, a new file, a rename).
const stamp = join(out, '.build-stamp');
writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
utimesSync(stamp, new Date(started), new Date(started));
console.log(`telmark: built ${entryPoints.length} modules into dist/ in ${Date.now() - started} ms`);
