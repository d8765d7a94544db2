// A batch of files inserted while their bytes are proven, not after. The pass over a file's bytes
// in Node (hash, lines, the record proof; one core) used to end before DuckDB's insert (both cores)
// began; here the insert by casts alone (proven-insert-sql.ts) starts first, inside the batch's
// transaction, and the pass runs beside it. The transaction commits only when the pass has proven
// every file clean and found every content hash new; otherwise it rolls back and the batch takes
// the way of load-feed-batch.ts with the passes already made, so a re-delivered file is still
// skipped, a doubtful one still goes through the checked path with its quarantine, and a load killed
// at any moment leaves nothing of the insert behind.
// Once the pass knows the batch cannot commit (a record it cannot prove, a file it rejects, a content
// twice in the batch), the insert is interrupted there rather than left to run to the end of the
// files only to be rolled back: on a 2.66 M-row file with a doubt on its first lines, that was the
// whole insert's CPU (~2 s) spent for nothing.
import type { DuckDBConnection } from '@duckdb/node-api';
import { feeds, type FeedSpec } from '../../feeds/contract.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Warehouse } from '../warehouse.ts';
import type { ByteKeySet } from './byte-key-set.ts';
import { compiledFeed } from './compile-feed-sql.ts';
import { emptyFileResult, type FeedFile, type FileLoadResult, type LoadBatchOptions } from './feed-file.ts';
import { filePeriod } from './file-period.ts';
import type { InspectedFile } from './inspect-file.ts';
import { inspectFeedFile } from './inspect-feed-file.ts';
import { fileSourceSql } from './insert-checked-rows.ts';
import { markDirtyDays } from './mark-dirty-days.ts';
import { peekColumns } from './peek-columns.ts';
import { provenInsertSql, provenReadTypes } from './proven-insert-sql.ts';
import { recordLoadedFile } from './record-loaded-file.ts';

/** A pass's outcome per file name: what it found, or why it rejected the file. */
export type Inspections = Map<string, InspectedFile | AppError>;

export type SpeculativeOutcome =
  | { committed: true; files: FileLoadResult[]; inspected: Inspections }
  /** `insertStopped`: the pass found the batch doubtful before the insert ended, and it was cut short there. */
  | { committed: false; inspected: Inspections; insertStopped: boolean };

/** Thrown inside the transaction to roll the insert back; never leaves this module. */
class NotProven extends Error {}

/**
 * The insert's statements, and their stop once the batch cannot commit. An interrupt that arrives
 * as a statement ends in the engine finds the connection idle and is lost, harmlessly: an idle
 * interrupt does not carry over to the next statement, and the outcome is a rollback all the same.
 */
class SpeculativeInsert {
  private running = false;
  private stopped = false;
  /** Some of the insert's work was skipped: interrupted, or a statement never begun. */
  cutShort = false;

  constructor(private readonly connection: DuckDBConnection) {}

  giveUp(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.running) return;
    this.cutShort = true;
    this.connection.interrupt();
  }

  async statement<T>(run: () => Promise<T>): Promise<T> {
    if (this.stopped) {
      this.cutShort = true;
      throw new NotProven();
    }
    this.running = true;
    try {
      return await run();
    } finally {
      this.running = false;
    }
  }
}

/**
 * Tries the batch the overlapped way. Undefined when it could not even start (a header the pass
 * must word): nothing was inserted or read, and the caller takes its usual way.
 */
export async function loadSpeculatively(
  warehouse: Warehouse,
  files: readonly FeedFile[],
  options: LoadBatchOptions & { references: ReadonlyMap<string, ByteKeySet> },
): Promise<SpeculativeOutcome | undefined> {
  const spec = feeds[files[0]!.feed];
  const groups = new Map<string, { columns: string[]; files: FeedFile[] }>();
  for (const file of files) {
    const columns = await peekColumns(file.path, file.gzip, spec);
    if (!columns) return undefined;
    const key = columns.join(',');
    const group = groups.get(key) ?? { columns, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  const inspected: Inspections = new Map();
  const insert = new SpeculativeInsert(warehouse.raw);
  try {
    const loaded = await warehouse.transaction(async () => {
      const fileIds = new Map<FeedFile, number>();
      for (const file of files) fileIds.set(file, await warehouse.scalar(`SELECT nextval('load_file_seq')`));
      // The insert and the pass run together; both settle before the transaction goes either way.
      const [inserted, passed] = await Promise.allSettled([
        insertGroups(warehouse, spec, [...groups.values()], { fileIds, insert }),
        inspectAll(files, inspected, { ...options, giveUp: () => insert.giveUp() }),
      ]);
      if (passed.status === 'rejected') throw passed.reason;
      if (inserted.status === 'rejected') throw new NotProven();
      await requireProvenAndNew(warehouse, files, inspected, options);
      // A proven file's records are its lines; a cast that still failed leaves its group short.
      for (const [index, group] of [...groups.values()].entries()) {
        const lines = group.files.reduce((a, f) => a + (inspected.get(f.fileName) as InspectedFile).dataLines, 0);
        if (inserted.value[index] !== lines) throw new NotProven();
      }
      return recordFiles(warehouse, spec, files, { fileIds, inspected, options });
    });
    return { committed: true, files: loaded, inspected };
  } catch (error) {
    if (error instanceof NotProven) return { committed: false, inspected, insertStopped: insert.cutShort };
    throw error;
  }
}

/** One insert by casts per column layout, one after the other on the batch's connection; rows per group. */
async function insertGroups(
  warehouse: Warehouse,
  spec: FeedSpec,
  groups: readonly { columns: string[]; files: FeedFile[] }[],
  { fileIds, insert }: { fileIds: ReadonlyMap<FeedFile, number>; insert: SpeculativeInsert },
): Promise<number[]> {
  const table = compiledFeed(spec.name).table;
  const counts: number[] = [];
  for (const group of groups) {
    const sources = group.files.map((f) => ({ readPath: f.path, fileId: fileIds.get(f)!, period: undefined }));
    // An INSERT answers with the number of rows it inserted.
    const source = fileSourceSql(sources, group.columns, 'raw', provenReadTypes(spec));
    const sql = provenInsertSql(spec, { table, ...source });
    counts.push(await insert.statement(() => warehouse.scalar(sql)));
  }
  return counts;
}

/**
 * The passes, one file after another; a file the pass rejects is noted, not thrown. `giveUp` is told
 * as soon as the batch cannot commit, the passes still run to the end: the usual way needs them.
 */
async function inspectAll(
  files: readonly FeedFile[],
  into: Inspections,
  options: LoadBatchOptions & { references: ReadonlyMap<string, ByteKeySet>; giveUp: () => void },
): Promise<void> {
  const hashes = new Set<string>();
  for (const file of files) {
    const period = filePeriod(feeds[file.feed], file.period, options.periodToleranceDays);
    const inspection = { file, period, references: options.references, onDoubt: options.giveUp };
    try {
      const pass = await inspectFeedFile(inspection, options);
      into.set(file.fileName, pass);
      if (!pass.proven || hashes.has(pass.sha256)) options.giveUp();
      hashes.add(pass.sha256);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'FEED_FILE_INVALID') throw error;
      into.set(file.fileName, error);
      options.giveUp();
    }
  }
}

/**
 * Every file proven clean by its pass, and its content new: in no other file of the batch nor loaded.
 * What the passes alone decide is asked first, so no query runs for a batch that cannot commit.
 */
async function requireProvenAndNew(
  warehouse: Warehouse,
  files: readonly FeedFile[],
  inspected: Inspections,
  options: LoadBatchOptions,
): Promise<void> {
  const hashes = new Set<string>();
  const passes: InspectedFile[] = [];
  for (const file of files) {
    const pass = inspected.get(file.fileName);
    if (pass === undefined || pass instanceof AppError || !pass.proven || hashes.has(pass.sha256))
      throw new NotProven();
    hashes.add(pass.sha256);
    passes.push(pass);
  }
  if (options.reload) return;
  for (const pass of passes) {
    const same = await warehouse.one('SELECT 1 FROM load_files WHERE sha256 = ? AND replaced_by IS NULL LIMIT 1', [
      pass.sha256,
    ]);
    if (same) throw new NotProven();
  }
}

async function recordFiles(
  warehouse: Warehouse,
  spec: FeedSpec,
  files: readonly FeedFile[],
  batch: { fileIds: ReadonlyMap<FeedFile, number>; inspected: Inspections; options: LoadBatchOptions },
): Promise<FileLoadResult[]> {
  const out: FileLoadResult[] = [];
  for (const file of files) {
    const pass = batch.inspected.get(file.fileName) as InspectedFile;
    const fileId = batch.fileIds.get(file)!;
    const period = filePeriod(spec, file.period, batch.options.periodToleranceDays);
    const offDay = await markDirtyDays(warehouse, spec, { fileId, period, rowsByDay: pass.rowsByDay });
    const notes = [
      ...pass.notes,
      ...(offDay > 0
        ? [`${offDay} row(s) dated outside ${period!.day} but within ${period!.label}: loaded on their own dates`]
        : []),
    ];
    const rows = pass.dataLines;
    await recordLoadedFile(
      warehouse,
      { file, inspected: pass, fileId, rowsRead: rows, rowsLoaded: rows, rowsQuarantined: 0, notes },
      batch.options.clock,
    );
    out.push({
      ...emptyFileResult(file, 'loaded', notes),
      linesRead: rows,
      rowsRead: rows,
      rowsLoaded: rows,
      provenByBytes: true,
    });
  }
  return out;
}
