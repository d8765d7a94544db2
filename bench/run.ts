// `npm run bench` runs every area; `npm run bench -- load` runs one. Each area is a module
// bench/<area>.ts exporting `run(args)`.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const areas = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'report.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [wanted, ...rest] = process.argv.slice(2);
const chosen = wanted ? [wanted] : areas;
for (const area of chosen) {
  const file = join(here, `${area}.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark area "${area}" (known: ${areas.join(', ')})`);
    process.exit(2);
  }
  console.log(`== bench ${area}`);
  const module = (await import(file)) as { run: (args: string[]) => Promise<void> };
  await module.run(rest);
}
