// `telmark load DIR`: every feed file in a folder, snapshots first so references resolve, each in its
// own transaction; then the derived tables for the days touched. Safe to run again at any time.
import { mkdir, mkdtemp, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultConfig } from '../../config/config.ts';
import { feedNames, parseFeedFileName } from '../../feeds/contract.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Warehouse } from '../warehouse.ts';
import type { FeedEncoding } from './inspect-file.ts';
import { type FeedFile, type FileLoadResult, loadFeedBatch, type RejectedFile } from './load-feed-batch.ts';
import { type RebuildResult, rebuildDerived } from './rebuild-derived.ts';
import { refreshSubscriberFactsIfStale } from './refresh-subscriber-facts.ts';

export type { RejectedFile };

export interface LoadSummary {
  files: FileLoadResult[];
  rejected: RejectedFile[];
  ignored: string[];
  /** Physical data lines of the files loaded; each is in one row, loaded or quarantined. */
  linesRead: number;
  /** Always rowsLoaded + rowsQuarantined. */
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Quarantined rows by feed and kind of reason: `orders: msisdn "…" must have 11 digits`. */
  quarantinedByReason: Record<string, number>;
  derivedDays: number;
  /** First and last day whose derived rows were rebuilt; absent when none were. */
  derivedFrom?: string;
  derivedTo?: string;
  loadMs: number;
  derivedMs: number;
}

export interface LoadProgress {
  /** A batch (the files of one feed) starts: `label` names it, `index` counts files done before it. */
  fileStarted(label: string, index: number, count: number, bytesDone: number, bytesTotal: number): void;
  derivedStep(step: string, done: number, total: number): void;
}

export interface LoadDirectoryOptions {
  encoding?: FeedEncoding;
  /** Replace files already loaded, e.g. to re-check quarantined rows after a late snapshot. */
  reload?: boolean;
  clock: Clock;
  progress?: LoadProgress;
  /** Days a row may be dated outside its file's day and still load; the configuration's by default. */
  periodToleranceDays?: number;
  /**
   * Rebuild the derived tables after loading (default). Off for a staging load that only validates:
   * the ClickHouse loader checks files here, then ships the accepted rows and builds its own aggregates.
   */
  derived?: boolean;
  /**
   * Prove clean files on their bytes and load them by casts alone (default). Off, every file takes
   * the checked path: for the test that compares the two, and for benchmarks.
   */
  byteProof?: boolean;
}

export async function listFeedFiles(
  dir: string,
): Promise<{ files: FeedFile[]; rejected: RejectedFile[]; ignored: string[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new AppError('USAGE', `cannot read the folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const files: FeedFile[] = [];
  const rejected: RejectedFile[] = [];
  const ignored: string[] = [];
  for (const fileName of names.sort()) {
    if (!/\.csv(\.gz)?$/i.test(fileName)) {
      ignored.push(fileName);
      continue;
    }
    const parsed = parseFeedFileName(fileName);
    if ('error' in parsed) {
      const code = parsed.badDate ? 'FEED_FILE_INVALID' : 'FEED_UNKNOWN';
      const hint = parsed.badDate ? 'name the file after the day (or month) its rows belong to' : undefined;
      const error = new AppError(code, parsed.error, { location: { file: fileName }, ...(hint ? { hint } : {}) });
      rejected.push({ fileName, error });
      continue;
    }
    files.push({ path: join(dir, fileName), fileName, ...parsed });
  }
  const order = (f: FeedFile) => feedNames.indexOf(f.feed);
  files.sort(
    (a, b) =>
      order(a) - order(b) || (a.period ?? '').localeCompare(b.period ?? '') || a.fileName.localeCompare(b.fileName),
  );
  return { files, rejected, ignored };
}

export async function loadDirectory(
  warehouse: Warehouse,
  dir: string,
  options: LoadDirectoryOptions,
): Promise<LoadSummary> {
  const started = options.clock.nowMs();
  const { files, rejected, ignored } = await listFeedFiles(dir);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.path)).size));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const scratchDir = await makeScratchDir(warehouse.path);
  const results: FileLoadResult[] = [];
  let bytesDone = 0;
  let filesDone = 0;
  try {
    for (const feed of feedNames) {
      const batch = files.filter((f) => f.feed === feed);
      if (batch.length === 0) continue;
      const label = batch.length === 1 ? batch[0]!.fileName : `${feed} (${batch.length} files)`;
      options.progress?.fileStarted(label, filesDone, files.length, bytesDone, bytesTotal);
      const loadOptions = {
        encoding: options.encoding ?? 'utf8',
        scratchDir,
        clock: options.clock,
        reload: options.reload === true,
        periodToleranceDays: options.periodToleranceDays ?? defaultConfig.load.periodToleranceDays,
        byteProof: options.byteProof !== false,
      } as const;
      try {
        const result = await loadFeedBatch(warehouse, batch, loadOptions);
        results.push(...result.files);
        rejected.push(...result.rejected);
      } catch (error) {
        // The batch rolled back whole. Load its files one by one, so one file DuckDB refuses
        // (e.g. broken quoting) holds back only itself.
        if (!isLoadFailure(error)) throw error;
        for (const file of batch) {
          try {
            const result = await loadFeedBatch(warehouse, [file], loadOptions);
            results.push(...result.files);
            rejected.push(...result.rejected);
          } catch (fileError) {
            if (!isLoadFailure(fileError)) throw fileError;
            rejected.push({ fileName: file.fileName, error: withFile(fileError, file.fileName) });
          }
        }
      }
      filesDone += batch.length;
      bytesDone += batch.reduce((a, f) => a + sizes[files.indexOf(f)]!, 0);
    }
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
    // Left when another load of this process still uses it.
    if (dirname(scratchDir) !== tmpdir()) await rmdir(dirname(scratchDir)).catch(() => undefined);
  }
  const loadMs = options.clock.nowMs() - started;
  const derived: RebuildResult =
    options.derived === false ? { days: 0, ms: 0 } : await rebuildDerived(warehouse, options.progress?.derivedStep);
  // The audiences' per-subscriber facts follow every change of the data (and catch up after a load
  // killed before they were rebuilt); a re-run that loaded nothing leaves them as they are.
  if (options.derived !== false) await refreshSubscriberFactsIfStale(warehouse);
  const quarantinedByReason: Record<string, number> = {};
  for (const r of results) {
    for (const [kind, n] of Object.entries(r.quarantinedByReason)) {
      const key = `${r.feed}: ${kind}`;
      quarantinedByReason[key] = (quarantinedByReason[key] ?? 0) + n;
    }
  }
  return {
    files: results,
    rejected,
    ignored,
    linesRead: results.reduce((a, r) => a + r.linesRead, 0),
    rowsRead: results.reduce((a, r) => a + r.rowsRead, 0),
    rowsLoaded: results.reduce((a, r) => a + r.rowsLoaded, 0),
    rowsQuarantined: results.reduce((a, r) => a + r.rowsQuarantined, 0),
    quarantinedByReason,
    derivedDays: derived.days,
    ...(derived.firstDay && derived.lastDay ? { derivedFrom: derived.firstDay, derivedTo: derived.lastDay } : {}),
    loadMs,
    derivedMs: derived.ms,
  };
}

/**
 * The folder for re-encoded copies of files (as large as the files). Beside a warehouse file, under
 * `<warehouse>.load-scratch/<pid>-…`: a load killed with SIGKILL cannot remove its own, so each load
 * first removes those of processes no longer running. An in-memory warehouse gets a temporary folder.
 */
async function makeScratchDir(warehousePath: string): Promise<string> {
  if (warehousePath === ':memory:' || warehousePath === '') return mkdtemp(join(tmpdir(), 'telmark-load-'));
  const parent = `${warehousePath}.load-scratch`;
  await mkdir(parent, { recursive: true });
  for (const name of await readdir(parent)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || !isRunning(pid)) await rm(join(parent, name), { recursive: true, force: true });
  }
  return mkdtemp(join(parent, `${process.pid}-`));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLoadFailure(error: unknown): error is AppError {
  return isAppError(error) && (error.code === 'WAREHOUSE_QUERY' || error.code === 'INTERNAL');
}

function withFile(error: AppError, fileName: string): AppError {
  if (error.location.file) return error;
  return new AppError(error.code, error.message, {
    location: { ...error.location, file: fileName },
    hint: error.hint,
    cause: error,
  });
}
