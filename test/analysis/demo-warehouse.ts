// A generated demo operator, loaded once and shared by the analysis, API and browser tests. The first
// test file to need it builds it under a lock; every file then works on its own copy of the DuckDB
// file (DuckDB lets one process hold a file).
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultGenerateOptions, generateDemoOperator } from '../../src/demo/index.ts';
import { demoSourceVersion } from '../fixtures/source-version.ts';
import { fixedClock } from '../../src/shared/clock.ts';
import { loadDirectory } from '../../src/warehouse/load/index.ts';
import { Warehouse } from '../../src/warehouse/index.ts';

export const DEMO_SUBSCRIBERS = 1500;
export const DEMO_DAYS = 30;
export interface DemoFixture {
  /** The generated feed files (for recounts straight from the CSV). */
  feedDir: string;
  /** This process's own copy of the loaded warehouse. */
  dbPath: string;
  open(): Promise<Warehouse>;
  remove(): void;
}

export async function demoFixture(): Promise<DemoFixture> {
  const root = join(tmpdir(), `telmark-analysis-fixture-${demoSourceVersion()}-${DEMO_SUBSCRIBERS}-${DEMO_DAYS}`);
  const feedDir = join(root, 'feeds');
  const master = join(root, 'demo.duckdb');
  const done = join(root, 'done');
  const lock = `${root}.lock`;
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      // A builder that died leaves its lock behind: take it over after five minutes.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      if (!existsSync(done)) {
        rmSync(root, { recursive: true, force: true });
        mkdirSync(root, { recursive: true });
        await generateDemoOperator({
          ...defaultGenerateOptions,
          subscribers: DEMO_SUBSCRIBERS,
          days: DEMO_DAYS,
          outDir: feedDir,
          signallingDays: [DEMO_DAYS - 1],
        });
        const warehouse = await Warehouse.open(master);
        try {
          await loadDirectory(warehouse, feedDir, { clock: fixedClock('2026-04-01T00:00:00Z') });
        } finally {
          warehouse.close();
        }
        writeFileSync(done, new Date().toISOString());
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const dbPath = join(tmpdir(), `telmark-analysis-${process.pid}-${Math.random().toString(36).slice(2, 8)}.duckdb`);
  copyFileSync(master, dbPath);
  return {
    feedDir,
    dbPath,
    open: () => Warehouse.open(dbPath),
    remove() {
      rmSync(dbPath, { force: true });
      rmSync(`${dbPath}.wal`, { force: true });
    },
  };
}
