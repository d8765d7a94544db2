// Loads one feed file in one transaction: its good rows, its quarantined rows and its record in
// load_files land together or not at all, so a load killed at any moment and run again ends with
// exactly the rows of one clean load. A file already loaded (same content) is skipped; a file
// re-delivered under the same name with new content replaces the old one.
import { join } from 'node:path';
import type { FeedName, FeedSpec } from '../../feeds/contract.ts';
import { feeds } from '../../feeds/contract.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Warehouse } from '../warehouse.ts';
import { compiledFeed } from './compile-feed-sql.ts';
import { explainBadRows } from './explain-bad-rows.ts';
import { type FeedEncoding, inspectFile } from './inspect-file.ts';

export interface FeedFile {
  path: string;
  fileName: string;
  feed: FeedName;
  period?: string;
  gzip: boolean;
}

export type FileOutcome = 'loaded' | 'replaced' | 'skipped';

export interface FileLoadResult {
  fileName: string;
  feed: FeedName;
  outcome: FileOutcome;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Quarantined rows per kind of reason, values blanked: `msisdn "…" must have 11 digits`. */
  quarantinedByReason: Record<string, number>;
  notes: string[];
  ms: number;
}

export interface LoadFileOptions {
  encoding: FeedEncoding;
  scratchDir: string;
  clock: Clock;
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function loadFeedFile(
  warehouse: Warehouse,
  file: FeedFile,
  options: LoadFileOptions,
): Promise<FileLoadResult> {
  const started = options.clock.nowMs();
  const spec = feeds[file.feed];
  const inspected = await inspectFile(file.path, file.fileName, spec, {
    encoding: options.encoding,
    gzip: file.gzip,
    scratchPath: join(options.scratchDir, `${file.fileName}.utf8.csv`),
  });
  const result = (outcome: FileOutcome, counts: Partial<FileLoadResult> = {}): FileLoadResult => ({
    fileName: file.fileName,
    feed: file.feed,
    outcome,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsQuarantined: 0,
    quarantinedByReason: {},
    notes: inspected.notes,
    ms: options.clock.nowMs() - started,
    ...counts,
  });

  const same = await warehouse.one<{ file_name: string; loaded_at: string }>(
    'SELECT file_name, loaded_at FROM load_files WHERE sha256 = ? AND replaced_by IS NULL LIMIT 1',
    [inspected.sha256],
  );
  if (same) {
    return result('skipped', {
      notes: [
        ...inspected.notes,
        `same content already loaded${same.file_name === file.fileName ? '' : ` as ${same.file_name}`} at ${same.loaded_at}`,
      ],
    });
  }
  const previous = await warehouse.one<{ file_id: number }>(
    'SELECT file_id FROM load_files WHERE file_name = ? AND replaced_by IS NULL',
    [file.fileName],
  );

  const compiled = compiledFeed(file.feed);
  const transcoded = inspected.readPath !== file.path;
  const source = `read_csv(${quoteLiteral(inspected.readPath)}, header = true, auto_detect = false, delim = ',', quote = '"',
      escape = '"', ignore_errors = true, compression = '${file.gzip && !transcoded ? 'gzip' : 'none'}',
      columns = {${inspected.columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}})`;
  const columnList = [...spec.fields.map((f) => ident(f.name)), 'file_id'].join(', ');

  return warehouse.transaction(async () => {
    const fileId = await warehouse.scalar(`SELECT nextval('load_file_seq')`);
    if (previous) await retireFile(warehouse, spec, previous.file_id, fileId);
    if (spec.kind === 'snapshot') await warehouse.run(`DELETE FROM ${compiled.table}`);

    const typedSelect = compiled.typedSelect.replace('$file_id', String(fileId));
    const inserted = await warehouse.scalar(
      `INSERT INTO ${compiled.table} (${columnList})
       SELECT ${typedSelect} FROM ${compiled.relation(source)} WHERE ${compiled.okPredicate}`,
    );

    let rowsRead = inspected.dataLines;
    let quarantined = 0;
    let quarantinedByReason: Record<string, number> = {};
    if (inserted !== inspected.dataLines) {
      const bad = await explainBadRows(warehouse, {
        path: inspected.readPath,
        gzip: file.gzip && !transcoded,
        columns: inspected.columns,
        compiled,
      });
      if (inserted + bad.bad !== bad.records) {
        throw new Error(
          `${file.fileName}: ${bad.records} records but ${inserted} loaded and ${bad.bad} explained; refusing to lose rows`,
        );
      }
      rowsRead = bad.records;
      quarantined = bad.bad;
      await warehouse.run(
        `INSERT INTO quarantine SELECT ?, ?, line, field, reason, raw FROM temp.main.quarantine_stage`,
        [fileId, file.fileName],
      );
      const byReason = await warehouse.all<{ kind: string; n: number }>(
        `SELECT regexp_replace(reason, '"[^"]*"', '"…"', 'g') AS kind, count(*)::INTEGER AS n
         FROM temp.main.quarantine_stage GROUP BY kind ORDER BY n DESC`,
      );
      quarantinedByReason = Object.fromEntries(byReason.map((r) => [r.kind, r.n]));
      await warehouse.run('DROP TABLE temp.main.quarantine_stage');
    }

    await markDirty(warehouse, spec, fileId);
    const notes = [...inspected.notes, ...(previous ? ['replaces the earlier delivery of this file'] : [])];
    await warehouse.run(
      `INSERT INTO load_files (file_id, file_name, feed, period, sha256, bytes, rows_read, rows_loaded, rows_quarantined, notes, loaded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        fileId,
        file.fileName,
        file.feed,
        file.period ?? null,
        inspected.sha256,
        inspected.bytes,
        rowsRead,
        inserted,
        quarantined,
        notes.join('; ') || null,
        options.clock.now().toISOString().replace('T', ' ').slice(0, 19),
      ],
    );
    return result(previous ? 'replaced' : 'loaded', {
      rowsRead,
      rowsLoaded: inserted,
      rowsQuarantined: quarantined,
      quarantinedByReason,
      notes,
    });
  });
}

async function retireFile(warehouse: Warehouse, spec: FeedSpec, oldFileId: number, newFileId: number): Promise<void> {
  const table = compiledFeed(spec.name).table;
  await markDirty(warehouse, spec, oldFileId);
  await warehouse.run(`DELETE FROM ${table} WHERE file_id = ?`, [oldFileId]);
  await warehouse.run('DELETE FROM quarantine WHERE file_id = ?', [oldFileId]);
  await warehouse.run('UPDATE load_files SET replaced_by = ? WHERE file_id = ?', [newFileId, oldFileId]);
}

/** Records which days' aggregates this file touches; a snapshot touches them all. */
async function markDirty(warehouse: Warehouse, spec: FeedSpec, fileId: number): Promise<void> {
  if (spec.kind === 'snapshot') {
    await warehouse.run(`INSERT INTO meta VALUES ('rebuild_all', '1') ON CONFLICT (key) DO UPDATE SET value = '1'`);
    return;
  }
  if (spec.kind === 'daily' && spec.timeField) {
    await warehouse.run(
      `INSERT OR IGNORE INTO dirty_days SELECT DISTINCT CAST(${ident(spec.timeField)} AS DATE) FROM ${compiledFeed(spec.name).table} WHERE file_id = ?`,
      [fileId],
    );
  }
}
