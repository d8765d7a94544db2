// A generated and loaded demo operator big enough for the telecom models (a few hundred churners),
// built once per machine under a lock and copied for each test file (DuckDB lets one process hold a file).
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultGenerateOptions, generateDemoOperator } from '../../../src/demo/index.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { loadDirectory } from '../../../src/warehouse/load/index.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { demoSourceVersion } from '../../fixtures/source-version.ts';

export const MINING_DEMO_SUBSCRIBERS = 6000;
const DAYS = 30;

export async function miningDemoWarehouse(): Promise<{ open(): Promise<Warehouse>; remove(): void }> {
  const root = join(tmpdir(), `telmark-mining-fixture-${demoSourceVersion()}-${MINING_DEMO_SUBSCRIBERS}-${DAYS}`);
  const master = join(root, 'demo.duckdb');
  const done = join(root, 'done');
  const lock = `${root}.lock`;
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 300_000)
        rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      if (!existsSync(done)) {
        rmSync(root, { recursive: true, force: true });
        mkdirSync(root, { recursive: true });
        const feedDir = join(root, 'feeds');
        await generateDemoOperator({
          ...defaultGenerateOptions,
          subscribers: MINING_DEMO_SUBSCRIBERS,
          days: DAYS,
          outDir: feedDir,
          signallingDays: [],
        });
        const warehouse = await Warehouse.open(master);
        try {
          await loadDirectory(warehouse, feedDir, { clock: fixedClock('2026-04-01T00:00:00Z') });
        } finally {
          warehouse.close();
        }
        rmSync(feedDir, { recursive: true, force: true });
        writeFileSync(done, 'ok');
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  const dbPath = join(tmpdir(), `telmark-mining-${process.pid}-${Date.now().toString(36)}.duckdb`);
  copyFileSync(master, dbPath);
  return {
    open: () => Warehouse.open(dbPath),
    remove() {
      rmSync(dbPath, { force: true });
      rmSync(`${dbPath}.wal`, { force: true });
    },
  };
}
