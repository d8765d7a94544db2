// The dashboard is built from web/src by Vite. A fresh clone has no web/dist, and a pulled change
// leaves an old one: `telmark serve` and `telmark demo` build it then, saying so, instead of serving
// nothing (or yesterday's pages).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type WebBuildOutcome = 'fresh' | 'built' | 'failed';

export interface EnsureWebBuiltOptions {
  /** The built folder (web/dist); its parent holds index.html, src/ and vite.config.ts. */
  webRoot: string;
  note: (text: string) => void;
}

/** Builds the dashboard when it is missing or older than its sources; a failed build is told, not thrown. */
export async function ensureWebBuilt(options: EnsureWebBuiltOptions): Promise<WebBuildOutcome> {
  const project = resolve(options.webRoot, '..');
  const built = join(options.webRoot, 'index.html');
  const sourcesChanged = Math.max(
    newestChange(join(project, 'src')),
    mtimeOf(join(project, 'index.html')),
    mtimeOf(join(project, 'vite.config.ts')),
  );
  if (existsSync(built) && sourcesChanged <= statSync(built).mtimeMs) return 'fresh';
  options.note(
    existsSync(built)
      ? 'telmark: the web dashboard is older than its sources: rebuilding it (a few seconds)…'
      : 'telmark: building the web dashboard (first run, a few seconds)…',
  );
  const started = Date.now();
  try {
    const { build } = await import('vite');
    await build({ root: project, configFile: join(project, 'vite.config.ts'), logLevel: 'warn' });
  } catch (error) {
    options.note(
      `telmark: the web dashboard could not be built (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
        'the API is served without it: run `npm run build:web` to see why',
    );
    return 'failed';
  }
  options.note(`telmark: web dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}

function mtimeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function newestChange(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}
