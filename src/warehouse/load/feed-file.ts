// What a batch of feed files is and what loading one gives back, shared by the two ways a batch
// loads (load-feed-batch.ts, and load-speculatively.ts for files proven while they are inserted).
import type { FeedName } from '../../feeds/contract.ts';
import type { Clock } from '../../shared/clock.ts';
import type { AppError } from '../../shared/errors.ts';
import type { FeedEncoding } from './inspect-file.ts';

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

export function emptyFileResult(file: FeedFile, outcome: FileOutcome, notes: string[]): FileLoadResult {
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
