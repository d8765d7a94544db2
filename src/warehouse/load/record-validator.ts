// The feed contract checked on a file's bytes during the pass that hashes and counts them, record by
// record, without a string per field. It only proves: when every record passes, the file is clean
// and DuckDB may load it by a plain typed INSERT … SELECT; at the first record it is unsure of (a
// quote, a blank line, a bad or unprovable field) it stops and the file takes the checked path,
// which finds and words the problems. It never passes a record the SQL checks would refuse
// (test/warehouse/proven-load.test.ts runs both on every kind of defect).
import type { FeedSpec } from '../../feeds/contract.ts';
import type { ByteKeySet } from './byte-key-set.ts';
import { compileFieldScanner, keyScanner } from './compile-field-scanner.ts';
import {
  type CheckedColumn,
  type CheckFailure,
  compileRecordChecker,
  MAX_RECORD_BYTES,
  type RecordChecker,
} from './compile-record-checker.ts';

export interface RecordValidatorOptions {
  /** The file's period as `YYYY-MM-DD HH:MM:SS` bounds (see file-period.ts); none for a snapshot. */
  period?: { from: string; until: string };
  /** The known keys of every field that references another feed, by field name. */
  references: ReadonlyMap<string, ByteKeySet>;
  /**
   * Told at the first record not proven, while the pass goes on over the rest of the bytes: an
   * insert made on the hope of a proof (load-speculatively.ts) stops there instead of at the end.
   */
  onDoubt?: (why: string) => void;
}

export interface RecordVerdict {
  /** Every record provably passes the contract's checks. */
  clean: boolean;
  /** Records read (all of them when clean). */
  records: number;
  /** Why the file is not proven clean, for the curious (the checked path says what is wrong). */
  doubt?: string;
  /** When clean and the feed has a time field: its records by date (`YYYY-MM-DD`). */
  rowsByDay?: ReadonlyMap<string, number>;
}

const NEWLINE = 10;

/** Any header field, left to the header checks of inspect-file.ts; proves only that it holds no quote. */
const anyField = compileFieldScanner({ kind: 'text' });

export class RecordValidator {
  /** The records' checks, generated for the header's layout once the header is read. */
  private check: RecordChecker | undefined;
  private readonly failure: CheckFailure = { records: 0, column: 0, why: 'field' };
  /** Filled by the time field's scanner. */
  private readonly rowsByDay = new Map<string, { rows: number }>();
  private countsDays = false;
  private records = 0;
  private doubt: string | undefined;
  private carry: Buffer | undefined;
  private firstBytes = true;

  constructor(
    private readonly spec: FeedSpec,
    private readonly options: RecordValidatorOptions,
  ) {
    // Keys unique in the file and across files are the SQL's to check; a keyed feed is never proven here.
    if (spec.key) this.doubt = 'keys are checked in SQL';
    for (const field of spec.fields) {
      if (field.references && !options.references.has(field.name))
        this.doubt = `the keys of ${field.references.feed} are not at hand`;
    }
  }

  /** The next bytes of the file; `chunk` is read during the call only (its memory may be reused after). */
  feed(chunk: Buffer): void {
    if (this.doubt !== undefined) return;
    if (this.firstBytes) {
      this.firstBytes = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    let position = 0;
    if (this.carry) {
      // The record cut at the last chunk's end, completed up to its newline.
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > MAX_RECORD_BYTES) this.unsure('a record longer than 1 MiB');
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, newline + 1)]);
      this.carry = undefined;
      if (!this.lines(line, 0, line.length)) return;
      position = newline + 1;
    }
    // Whole lines only: the scanners then find each record's end themselves, with no search for it.
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= position && !this.lines(chunk, position, last + 1)) return;
    const rest = Math.max(position, last + 1);
    // A copy: the caller may reuse the chunk's memory for the next read.
    if (rest < chunk.length) this.carry = Buffer.from(chunk.subarray(rest));
  }

  /** The verdict once the last bytes are in. */
  finish(): RecordVerdict {
    if (this.doubt === undefined && this.carry && this.carry.length > 0) {
      // A last line without its newline.
      const line = Buffer.concat([this.carry, Buffer.from([NEWLINE])]);
      this.lines(line, 0, line.length);
    }
    this.carry = undefined;
    if (this.doubt === undefined && this.check === undefined) this.doubt = 'no header';
    if (this.doubt !== undefined) return { clean: false, records: this.records, doubt: this.doubt };
    if (!this.countsDays) return { clean: true, records: this.records };
    const rowsByDay = new Map<string, number>();
    for (const [day, { rows }] of this.rowsByDay) if (rows > 0) rowsByDay.set(day, rows);
    return { clean: true, records: this.records, rowsByDay };
  }

  /**
   * The lines of `[start, end)`, which ends with a newline; false (and the doubt noted) at the first
   * record not proven. A record ends with LF or CR LF; a CR anywhere else is refused by the scanners.
   */
  private lines(b: Buffer, start: number, end: number): boolean {
    let position = start;
    if (!this.check) {
      const newline = b.indexOf(NEWLINE, position);
      if (!this.header(b.toString('utf8', position, newline))) return false;
      position = newline + 1;
    }
    const records = this.check!(b, position, end, this.failure);
    if (records < 0) {
      const { records: before, column, why } = this.failure;
      return this.unsure(`record ${this.records + before + 1}, field ${column + 1}: ${why}`);
    }
    this.records += records;
    return true;
  }

  /** The header, parsed as inspect-file.ts parses it; the fields are looked up by name. */
  private header(text: string): boolean {
    const names = text
      .replace(/\r$/, '')
      .split(',')
      .map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (new Set(names).size !== names.length) return this.unsure('a column appears twice');
    for (const field of this.spec.fields) {
      if (!names.includes(field.name)) return this.unsure(`no column ${field.name}`);
    }
    let unprovenPeriod = false;
    const columns = names.map((name): CheckedColumn => {
      const field = this.spec.fields.find((f) => f.name === name);
      if (!field) return { scan: anyField, required: false, reference: undefined, kind: 'any' };
      const period = field.name === this.spec.timeField ? this.options.period : undefined;
      if (period && field.type.kind !== 'timestamp') unprovenPeriod = true;
      const counted = field.name === this.spec.timeField && field.type.kind === 'timestamp';
      if (counted) this.countsDays = true;
      const scan = compileFieldScanner(field.type, {
        ...(period ? { period } : {}),
        ...(counted ? { rowsByDay: this.rowsByDay } : {}),
      });
      const keys = field.references ? this.options.references.get(field.name) : undefined;
      const byKey = keys && !period ? keyScanner(keys, scan) : undefined;
      if (byKey) return { scan: byKey, required: field.optional !== true, reference: undefined, kind: 'key' };
      // A text with a limit is another scanner than one without.
      const kind = field.type.kind === 'text' && field.type.maxLength !== undefined ? 'text<' : field.type.kind;
      return { scan, required: field.optional !== true, reference: keys, kind };
    });
    // Only a time stamp's period is compared on its bytes (a bill's month is the SQL's).
    if (unprovenPeriod) return this.unsure('the period of a field that is not a time stamp');
    this.check = compileRecordChecker(columns);
    return true;
  }

  private unsure(why: string): false {
    this.doubt = why;
    this.options.onDoubt?.(why);
    return false;
  }
}
