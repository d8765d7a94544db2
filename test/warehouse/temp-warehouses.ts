// Warehouse files for loader tests, one per call, in the system's temp folder. Each is closed and
// removed with its write-ahead log and its load scratch folder after the test that opened it, so a
// file of twenty loads never holds twenty DuckDB databases open at once.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'node:test';
import { Warehouse } from '../../src/warehouse/warehouse.ts';

const opened: { warehouse: Warehouse; path: string }[] = [];
let counter = 0;

/** A new, empty warehouse file named `telmark-<prefix>-<pid>-<n>.duckdb`, removed after its test. */
export async function openTempWarehouse(prefix: string): Promise<Warehouse> {
  const path = join(tmpdir(), `telmark-${prefix}-${process.pid}-${counter++}.duckdb`);
  const warehouse = await Warehouse.open(path);
  opened.push({ warehouse, path });
  return warehouse;
}

/** Closes and removes every warehouse opened so far; runs by itself after each test. */
export function removeTempWarehouses(): void {
  for (const { warehouse, path } of opened.splice(0)) {
    warehouse.close();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    rmSync(`${path}.load-scratch`, { recursive: true, force: true });
  }
}

// At the top level a hook belongs to the file's root test, and an afterEach there runs after every
// test of the file, nested ones included.
afterEach(removeTempWarehouses);
