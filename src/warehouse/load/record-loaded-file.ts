// The row of load_files that makes a file's load count: written in the file's transaction, it is what
// a re-run finds (by content hash) to skip the file, and what a re-delivery under the same name replaces.
import type { Clock } from '../../shared/clock.ts';
import type { Warehouse } from '../warehouse.ts';
import { sqlTimestamp } from '../sql-text.ts';
import type { FeedFile } from './feed-file.ts';
import type { InspectedFile } from './inspect-file.ts';

export interface LoadedFile {
  file: FeedFile;
  inspected: InspectedFile;
  fileId: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  notes: string[];
}

export async function recordLoadedFile(warehouse: Warehouse, loaded: LoadedFile, clock: Clock): Promise<void> {
  const { file, inspected } = loaded;
  await warehouse.run(
    `INSERT INTO load_files (file_id, file_name, feed, period, sha256, bytes, rows_read, rows_loaded, rows_quarantined, notes, loaded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      loaded.fileId,
      file.fileName,
      file.feed,
      file.period ?? null,
      inspected.sha256,
      inspected.bytes,
      loaded.rowsRead,
      loaded.rowsLoaded,
      loaded.rowsQuarantined,
      loaded.notes.join('; ') || null,
      sqlTimestamp(clock.now()),
    ],
  );
}
