// Loads the files of one feed together: one read_csv over all of them, one pass of the compiled
// checks, one transaction. A batch lands whole or not at all, so each of its files does too: a load
// killed at any moment and run again ends with exactly the rows of one clean load. Reading the
// files of a feed in one statement lets DuckDB work on several at once and build the hash tables of
// the reference checks (subscribers, cells, services) once instead of once per file.
// A file already loaded (same content) is skipped; a file re-delivered under the same name with new
// content replaces the old one.
import { join } from 'node:path';
import type { FeedName, FeedSpec } from '../../feeds/contract.ts';
import { feeds } from '../../feeds/contract.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Warehouse } from '../warehouse.ts';
import { sqlIdentifier as ident, sqlTimestamp } from '../sql-text.ts';
import { compiledFeed } from './compile-feed-sql.ts';
import { explainBadRows } from './explain-bad-rows.ts';
import { type FilePeriod, filePeriod, periodSql } from './file-period.ts';
import { addFirstLines, type KnownFile } from './first-occurrence.ts';
import { type FeedEncoding, type InspectedFile, inspectFile } from './inspect-file.ts';
import { provenInsertSql } from './proven-insert-sql.ts';
import { RecordValidator } from './record-validator.ts';
import { dropReferenceEnums, prepareReferenceEnums, referenceKeySets } from './reference-key-sets.ts';
import { fileSourceSql, insertCheckedRows, type SourceFile } from './insert-checked-rows.ts';

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
  /** Physical lines after the header that hold anything. Each belongs to one row, loaded or quarantined. */
  linesRead: number;
  /** Rows (records) read: rowsLoaded + rowsQuarantined, always; fewer than lines where a quoted field spans lines. */
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Quarantined rows per kind of reason, values blanked: `msisdn "…" must have 11 digits`. */
  quarantinedByReason: Record<string, number>;
  notes: string[];
  /** This file's share of the batch's time, by bytes. */
  ms: number;
  /** Set when the file's bytes proved every row clean and it loaded by casts alone (record-validator.ts). */
  provenByBytes?: boolean;
}

export interface RejectedFile {
  fileName: string;
  error: AppError;
}

export interface LoadBatchOptions {
  encoding: FeedEncoding;
  /** Load files again even when their content is loaded already (after fixing reference data). */
  reload?: boolean;
  scratchDir: string;
  clock: Clock;
  /** How far outside its file's day a row may be dated and still load (see file-period.ts). */
  periodToleranceDays: number;
  /** Prove clean files on their bytes (see record-validator.ts); false sends every file the checked way. */
  byteProof?: boolean;
}

export interface BatchResult {
  files: FileLoadResult[];
  rejected: RejectedFile[];
}

interface Pending {
  file: FeedFile;
  inspected: InspectedFile;
  period: FilePeriod | undefined;
  previousId?: number;
  fileId: number;
}

const sourceOf = (p: Pending): SourceFile => ({ readPath: p.inspected.readPath, fileId: p.fileId, period: p.period });

function emptyResult(file: FeedFile, outcome: FileOutcome, notes: string[]): FileLoadResult {
  return {
    fileName: file.fileName,
    feed: file.feed,
    outcome,
    linesRead: 0,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsQuarantined: 0,
    quarantinedByReason: {},
    notes,
    ms: 0,
  };
}

export async function loadFeedBatch(
  warehouse: Warehouse,
  files: FeedFile[],
  options: LoadBatchOptions,
): Promise<BatchResult> {
  const started = options.clock.nowMs();
  const results: FileLoadResult[] = [];
  const rejected: RejectedFile[] = [];
  const pending: Omit<Pending, 'fileId'>[] = [];
  const seen = new Map<string, string>();
  /** Every readable file of the batch, loaded now or before, to find the first line of a key. */
  const known = new Map<string, KnownFile>();
  // A feed without keys whose references are all to small snapshots can be proven clean on its bytes
  // (record-validator.ts); a keyed feed always takes the checked path.
  const batchSpec = files[0] ? feeds[files[0].feed] : undefined;
  const references =
    batchSpec && !batchSpec.key && options.byteProof !== false
      ? await referenceKeySets(warehouse, batchSpec)
      : undefined;
  for (const file of files) {
    let inspected: InspectedFile;
    const period = filePeriod(feeds[file.feed], file.period, options.periodToleranceDays);
    try {
      inspected = await inspectFile(file.path, file.fileName, feeds[file.feed], {
        encoding: options.encoding,
        gzip: file.gzip,
        scratchPath: join(options.scratchDir, `${file.fileName}.utf8.csv`),
        ...(references
          ? {
              validator: new RecordValidator(feeds[file.feed], {
                references,
                ...(period ? { period: { from: period.from, until: period.until } } : {}),
              }),
            }
          : {}),
      });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'FEED_FILE_INVALID') throw error;
      rejected.push({ fileName: file.fileName, error });
      continue;
    }
    const transcoded = inspected.readPath !== file.path;
    known.set(file.fileName, {
      readPath: inspected.readPath,
      gzip: file.gzip && !transcoded,
      columns: inspected.columns,
    });
    const same = options.reload
      ? undefined
      : (seen.get(inspected.sha256) ??
        (
          await warehouse.one<{ file_name: string }>(
            'SELECT file_name FROM load_files WHERE sha256 = ? AND replaced_by IS NULL LIMIT 1',
            [inspected.sha256],
          )
        )?.file_name);
    if (same !== undefined) {
      const note = `same content already loaded${same === file.fileName ? '' : ` as ${same}`}`;
      results.push(emptyResult(file, 'skipped', [...inspected.notes, note]));
      continue;
    }
    seen.set(inspected.sha256, file.fileName);
    const previous = await warehouse.one<{ file_id: number }>(
      'SELECT file_id FROM load_files WHERE file_name = ? AND replaced_by IS NULL',
      [file.fileName],
    );
    pending.push({ file, inspected, period, ...(previous ? { previousId: previous.file_id } : {}) });
  }
  if (pending.length === 0) return { files: results, rejected };

  // One statement needs one column layout; files with another header order go in their own group.
  // A feed whose key is unique across files loads one file per statement, in order, so each file's
  // checks see the keys of the files before it in the table.
  const spec = feeds[pending[0]!.file.feed];
  const groups = new Map<string, Omit<Pending, 'fileId'>[]>();
  for (const p of pending) {
    const key = spec.key ? p.file.fileName : p.inspected.columns.join(',');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const loaded = await warehouse.transaction(async () => {
    const out: FileLoadResult[] = [];
    if (spec.kind === 'snapshot') await warehouse.run(`DELETE FROM ${compiledFeed(spec.name).table}`);
    const enumReferences = await prepareReferenceEnums(warehouse, spec);
    for (const group of groups.values()) {
      const withIds: Pending[] = [];
      for (const p of group) withIds.push({ ...p, fileId: await warehouse.scalar(`SELECT nextval('load_file_seq')`) });
      out.push(...(await loadGroup(warehouse, spec, withIds, { ...options, known, enumReferences })));
    }
    await dropReferenceEnums(warehouse, spec);
    return out;
  });
  const bytes = pending.reduce((a, p) => a + p.inspected.bytes, 0);
  const elapsed = options.clock.nowMs() - started;
  for (const r of loaded) {
    const p = pending.find((x) => x.file.fileName === r.fileName)!;
    r.ms = Math.round((elapsed * p.inspected.bytes) / Math.max(1, bytes));
  }
  return { files: [...results, ...loaded], rejected };
}

async function loadGroup(
  warehouse: Warehouse,
  spec: FeedSpec,
  group: Pending[],
  options: LoadBatchOptions & { known: ReadonlyMap<string, KnownFile>; enumReferences: ReadonlySet<string> },
): Promise<FileLoadResult[]> {
  const compiled = compiledFeed(spec.name, options.enumReferences);
  for (const p of group) if (p.previousId !== undefined) await retireFile(warehouse, spec, p.previousId, p.fileId);
  const columns = group[0]!.inspected.columns;
  const ids = group.map((p) => p.fileId).join(', ');
  const countRows = async () =>
    new Map(
      (
        await warehouse.all<{ file_id: number; n: number }>(
          `SELECT file_id, count(*) AS n FROM ${compiled.table} WHERE file_id IN (${ids}) GROUP BY file_id`,
        )
      ).map((r) => [r.file_id, r.n]),
    );
  // Files proven clean on their bytes load by casts alone; one that comes up short (a cast the
  // validator should have foreseen) is taken out again and joins the checked ones.
  const checked = group.filter((p) => !p.inspected.proven);
  const proven = group.filter((p) => p.inspected.proven);
  let counts = new Map<number, number>();
  if (proven.length > 0) {
    await warehouse.run(
      provenInsertSql(spec, { table: compiled.table, ...fileSourceSql(proven.map(sourceOf), columns, 'raw') }),
    );
    counts = await countRows();
    for (const p of proven) {
      if ((counts.get(p.fileId) ?? 0) === p.inspected.dataLines) continue;
      await warehouse.run(`DELETE FROM ${compiled.table} WHERE file_id = ?`, [p.fileId]);
      checked.push(p);
    }
  }
  if (checked.length > 0) {
    await insertCheckedRows(warehouse, compiled, checked.map(sourceOf), columns);
    counts = await countRows();
  }

  const out: FileLoadResult[] = [];
  for (const p of group) {
    let inserted = counts.get(p.fileId) ?? 0;
    let rowsRead = p.inspected.dataLines;
    let quarantined = 0;
    let quarantinedByReason: Record<string, number> = {};
    if (inserted !== p.inspected.dataLines || p.inspected.invalidUtf8Lines.length > 0) {
      const transcoded = p.inspected.readPath !== p.file.path;
      const bad = await explainBadRows(warehouse, {
        path: p.inspected.readPath,
        gzip: p.file.gzip && !transcoded,
        columns,
        compiled,
        fileId: p.fileId,
        invalidUtf8Lines: p.inspected.invalidUtf8Lines,
        period: periodSql(p.period),
      });
      if (bad.loaded !== undefined) inserted = bad.loaded;
      if (spec.key) await addFirstLines(warehouse, spec.key, options.known);
      if (inserted + bad.bad !== bad.records) {
        throw new AppError(
          'INTERNAL',
          `${bad.records} records, but ${inserted} loaded and ${bad.bad} explained: the file is left unloaded rather than lose rows`,
          { location: { file: p.file.fileName } },
        );
      }
      rowsRead = bad.records;
      quarantined = bad.bad;
      await warehouse.run(
        'INSERT INTO quarantine (file_id, file_name, line, field, reason, raw) SELECT ?, ?, line, field, reason, raw FROM temp.main.quarantine_stage',
        [p.fileId, p.file.fileName],
      );
      const byReason = await warehouse.all<{ kind: string; n: number }>(
        `SELECT regexp_replace(regexp_replace(reason, '"[^"]*"', '"…"', 'g'), ' line [0-9]+$', '') AS kind, count(*)::INTEGER AS n
         FROM temp.main.quarantine_stage GROUP BY kind ORDER BY n DESC`,
      );
      quarantinedByReason = Object.fromEntries(byReason.map((r) => [r.kind, r.n]));
      await warehouse.run('DROP TABLE temp.main.quarantine_stage');
    }
    const offDay = await markDirty(warehouse, spec, p.fileId, p.period);
    const notes = [
      ...p.inspected.notes,
      ...(offDay > 0
        ? [`${offDay} row(s) dated outside ${p.period!.day} but within ${p.period!.label}: loaded on their own dates`]
        : []),
      ...(p.previousId !== undefined ? ['replaces the earlier delivery of this file'] : []),
    ];
    await warehouse.run(
      `INSERT INTO load_files (file_id, file_name, feed, period, sha256, bytes, rows_read, rows_loaded, rows_quarantined, notes, loaded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        p.fileId,
        p.file.fileName,
        p.file.feed,
        p.file.period ?? null,
        p.inspected.sha256,
        p.inspected.bytes,
        rowsRead,
        inserted,
        quarantined,
        notes.join('; ') || null,
        sqlTimestamp(options.clock.now()),
      ],
    );
    out.push({
      ...emptyResult(p.file, p.previousId !== undefined ? 'replaced' : 'loaded', notes),
      linesRead: p.inspected.dataLines,
      rowsRead,
      rowsLoaded: inserted,
      rowsQuarantined: quarantined,
      quarantinedByReason,
      ...(p.inspected.proven && quarantined === 0 && !checked.includes(p) ? { provenByBytes: true } : {}),
    });
  }
  return out;
}

async function retireFile(warehouse: Warehouse, spec: FeedSpec, oldFileId: number, newFileId: number): Promise<void> {
  await markDirty(warehouse, spec, oldFileId);
  await warehouse.run(`DELETE FROM ${compiledFeed(spec.name).table} WHERE file_id = ?`, [oldFileId]);
  await warehouse.run('DELETE FROM quarantine WHERE file_id = ?', [oldFileId]);
  await warehouse.run('UPDATE load_files SET replaced_by = ? WHERE file_id = ?', [newFileId, oldFileId]);
}

/**
 * Records which aggregates this file touches: a snapshot touches them all, a monthly feed (the bills)
 * the billing and segment aggregates, a daily feed the days it holds. For a daily file with its
 * period, returns how many of its rows are dated on another day than the file's (within the tolerance).
 */
async function markDirty(warehouse: Warehouse, spec: FeedSpec, fileId: number, period?: FilePeriod): Promise<number> {
  if (spec.kind === 'snapshot' || spec.kind === 'monthly') {
    const key = spec.kind === 'snapshot' ? 'rebuild_all' : 'rebuild_billing';
    await warehouse.run(`INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = '1'`, [
      key,
    ]);
    return 0;
  }
  if (spec.kind !== 'daily' || !spec.timeField) return 0;
  // One pass over the file's rows gives both the days to rebuild and the rows off the file's day.
  // Days become text after grouping: formatting every row's date first cost 6× the grouping.
  const days = await warehouse.all<{ day: string; n: number }>(
    `SELECT CAST(day AS VARCHAR) AS day, n FROM (
       SELECT CAST(${ident(spec.timeField)} AS DATE) AS day, count(*)::INTEGER AS n
       FROM ${compiledFeed(spec.name).table} WHERE file_id = ? GROUP BY ALL)`,
    [fileId],
  );
  if (days.length > 0) {
    await warehouse.run(
      `INSERT OR IGNORE INTO dirty_days (day) VALUES ${days.map(() => '(CAST(? AS DATE))').join(', ')}`,
      days.map((d) => d.day),
    );
  }
  return period ? days.filter((d) => d.day !== period.day).reduce((a, d) => a + d.n, 0) : 0;
}
