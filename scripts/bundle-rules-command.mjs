// Bundles `telmark rules` into dist/cli/rules-bundle.js for scripts/build.mjs (and its test).
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

// `telmark rules` as one file (src/cli/rules-main.ts says why): everything it needs on a basket file,
// bundled, commander included. A lazy import() of any other module (the warehouse's baskets, the
// configuration) stays lazy: it is rewritten to the same module's path in dist/, loaded only when that
// branch runs. Node's builtins and other packages stay imports.
const bundledLazyImports = ['cli/output-context.ts', 'cli/rule-output.ts', 'mining/rules/index.ts'];

/** Writes outdir/cli/rules-bundle.js from source/cli/rules-main.ts (outdir: the dist/ being built). */
export async function bundleRulesCommand({ source, outdir }) {
  const outfile = join(outdir, 'cli', 'rules-bundle.js');
  const keepLazy = {
    name: 'keep-lazy-imports',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const target = relative(source, resolve(args.resolveDir, args.path)).replaceAll('\\', '/');
        if (bundledLazyImports.includes(target)) return undefined;
        const built = join(outdir, target.replace(/\.ts$/, '.js'));
        const path = relative(dirname(outfile), built).replaceAll('\\', '/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
      builder.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path === 'commander' ? undefined : { path: args.path, external: true },
      );
    },
  };
  await build({
    entryPoints: [join(source, 'cli', 'rules-main.ts')],
    outfile,
    bundle: true,
    plugins: [keepLazy],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // commander is CommonJS: its require() of node's builtins needs a require in an ES module
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    sourcemap: false,
    logLevel: 'warning',
  });
}
