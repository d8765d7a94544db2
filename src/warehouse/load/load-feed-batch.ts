// Loads the files of one feed together: one read_csv over all of them, one pass of the compiled
// checks, one transaction. A batch lands whole or not at all, so each of its files does too: a load
// killed at any moment and run again ends with exactly the rows of one clean load. Reading the
// files of a feed in one statement lets DuckDB work on several at once and build the hash tables of
// the reference checks (subscribers, cells, services) once instead of once per file.
// A file already loaded (same content) is skipped; a file re-delivered under the same name with new
// content replaces the old one.
// A batch of new files that may be proven clean on their bytes is first tried the overlapped way
// (load-speculatively.ts): inserted while the pass over the bytes runs; only when that does not
// commit does it come here, with the passes already made.
import type { FeedSpec } from '../../feeds/contract.ts';
import { feeds } from '../../feeds/contract.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Warehouse } from '../warehouse.ts';
import { compiledFeed } from './compile-feed-sql.ts';
import { explainBadRows } from './explain-bad-rows.ts';
import {
  type BatchResult,
  emptyFileResult,
  type FeedFile,
  type FileLoadResult,
  type LoadBatchOptions,
  type RejectedFile,
} from './feed-file.ts';
import { type FilePeriod, filePeriod, periodSql } from './file-period.ts';
import { addFirstLines, type KnownFile } from './first-occurrence.ts';
import type { InspectedFile } from './inspect-file.ts';
import { inspectFeedFile } from './inspect-feed-file.ts';
import { fileSourceSql, insertCheckedRows, type SourceFile } from './insert-checked-rows.ts';
import { type Inspections, loadSpeculatively } from './load-speculatively.ts';
import { markDirtyDays } from './mark-dirty-days.ts';
import { provenInsertSql, provenReadTypes } from './proven-insert-sql.ts';
import { recordLoadedFile } from './record-loaded-file.ts';
import { dropReferenceEnums, prepareReferenceEnums, referenceKeySets } from './reference-key-sets.ts';

export type {
  BatchResult,
  FeedFile,
  FileLoadResult,
  FileOutcome,
  LoadBatchOptions,
  RejectedFile,
} from './feed-file.ts';

interface Pending {
  file: FeedFile;
  inspected: InspectedFile;
  period: FilePeriod | undefined;
  previousId?: number;
  fileId: number;
}

const sourceOf = (p: Pending): SourceFile => ({ readPath: p.inspected.readPath, fileId: p.fileId, period: p.period });

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
  // New files that may be proven are inserted while their bytes are proven (load-speculatively.ts).
  let passes: Inspections | undefined;
  if (references && batchSpec?.kind === 'daily' && options.encoding === 'utf8' && (await allNew(warehouse, files))) {
    const tried = await loadSpeculatively(warehouse, files, { ...options, references });
    if (tried?.committed) {
      shareTime(tried.files, tried.inspected, options.clock.nowMs() - started);
      return { files: tried.files, rejected: [] };
    }
    passes = tried?.inspected;
  }
  for (const file of files) {
    let inspected: InspectedFile;
    const period = filePeriod(feeds[file.feed], file.period, options.periodToleranceDays);
    try {
      const pass = passes?.get(file.fileName) ?? (await inspectFeedFile({ file, period, references }, options));
      if (pass instanceof AppError) throw pass;
      inspected = pass;
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
      results.push(emptyFileResult(file, 'skipped', [...inspected.notes, note]));
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
  shareTime(loaded, new Map(pending.map((p) => [p.file.fileName, p.inspected])), options.clock.nowMs() - started);
  return { files: [...results, ...loaded], rejected };
}

/** Whether no file of the batch is loaded already under its name (a re-run or a re-delivery). */
async function allNew(warehouse: Warehouse, files: readonly FeedFile[]): Promise<boolean> {
  const loaded = await warehouse.scalar(
    `SELECT count(*) FROM load_files WHERE replaced_by IS NULL AND file_name IN (${files.map(() => '?').join(', ')})`,
    files.map((f) => f.fileName),
  );
  return loaded === 0;
}

/** Gives each loaded file its share of the batch's time, by bytes. */
function shareTime(
  loaded: FileLoadResult[],
  passes: ReadonlyMap<string, InspectedFile | AppError>,
  elapsed: number,
): void {
  const bytesOf = (name: string) => {
    const pass = passes.get(name);
    return pass && !(pass instanceof AppError) ? pass.bytes : 0;
  };
  const bytes = loaded.reduce((a, r) => a + bytesOf(r.fileName), 0);
  for (const r of loaded) r.ms = Math.round((elapsed * bytesOf(r.fileName)) / Math.max(1, bytes));
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
      provenInsertSql(spec, {
        table: compiled.table,
        ...fileSourceSql(proven.map(sourceOf), columns, 'raw', provenReadTypes(spec)),
      }),
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
    // A file loaded by casts alone holds exactly the rows its pass counted by day.
    const provenHere = p.inspected.proven && quarantined === 0 && !checked.includes(p);
    const offDay = await markDirtyDays(warehouse, spec, {
      fileId: p.fileId,
      period: p.period,
      rowsByDay: provenHere ? p.inspected.rowsByDay : undefined,
    });
    const notes = [
      ...p.inspected.notes,
      ...(offDay > 0
        ? [`${offDay} row(s) dated outside ${p.period!.day} but within ${p.period!.label}: loaded on their own dates`]
        : []),
      ...(p.previousId !== undefined ? ['replaces the earlier delivery of this file'] : []),
    ];
    await recordLoadedFile(
      warehouse,
      {
        file: p.file,
        inspected: p.inspected,
        fileId: p.fileId,
        rowsRead,
        rowsLoaded: inserted,
        rowsQuarantined: quarantined,
        notes,
      },
      options.clock,
    );
    out.push({
      ...emptyFileResult(p.file, p.previousId !== undefined ? 'replaced' : 'loaded', notes),
      linesRead: p.inspected.dataLines,
      rowsRead,
      rowsLoaded: inserted,
      rowsQuarantined: quarantined,
      quarantinedByReason,
      ...(provenHere ? { provenByBytes: true } : {}),
    });
  }
  return out;
}

async function retireFile(warehouse: Warehouse, spec: FeedSpec, oldFileId: number, newFileId: number): Promise<void> {
  await markDirtyDays(warehouse, spec, { fileId: oldFileId });
  await warehouse.run(`DELETE FROM ${compiledFeed(spec.name).table} WHERE file_id = ?`, [oldFileId]);
  await warehouse.run('DELETE FROM quarantine WHERE file_id = ?', [oldFileId]);
  await warehouse.run('UPDATE load_files SET replaced_by = ? WHERE file_id = ?', [newFileId, oldFileId]);
}
