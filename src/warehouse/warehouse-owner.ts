// DuckDB lets one process hold a database file. The holder leaves a note beside the file saying who
// it is and where it serves, so that a command turned away by the lock can say so clearly, and send
// its work to the running server where that makes sense.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface WarehouseOwner {
  pid: number;
  /** What holds it: `telmark serve`, `telmark stream`, `telmark demo`. */
  role: string;
  /** Where its HTTP API answers, if it serves one. */
  url?: string;
  since: string;
}

export const ownerNotePath = (dbPath: string) => `${dbPath}.owner.json`;

export function announceOwner(
  dbPath: string,
  owner: Omit<WarehouseOwner, 'pid' | 'since'>,
  now = new Date(),
): () => void {
  const path = ownerNotePath(dbPath);
  const note: WarehouseOwner = { pid: process.pid, ...owner, since: now.toISOString() };
  writeFileSync(path, `${JSON.stringify(note)}\n`);
  return () => {
    if (readOwner(dbPath)?.pid === process.pid) rmSync(path, { force: true });
  };
}

/** The note of the process holding the warehouse, if it left one and is still alive. */
export function readOwner(dbPath: string): WarehouseOwner | undefined {
  const path = ownerNotePath(dbPath);
  if (!existsSync(path)) return undefined;
  try {
    const note = JSON.parse(readFileSync(path, 'utf8')) as WarehouseOwner;
    if (!Number.isInteger(note.pid)) return undefined;
    process.kill(note.pid, 0); // throws when no such process: the note is stale
    return note;
  } catch {
    return undefined;
  }
}
