// The audit log's writer for a server: every customer view and every change appends a row before its
// answer leaves (a view must not be disclosed without a row that survives a crash). appendAudit()
// writes on a connection others share, so each batch must check in the same statement that the row it
// remembers is still the last (INSERT … SELECT … WHERE NOT EXISTS … RETURNING): 2.0–2.7 ms of CPU a
// commit. This writer owns its connection: no one else's transaction can hold or roll back its rows,
// so the last row it wrote stays the log's last row unless another connection appends, and then seq,
// the primary key, refuses the plain INSERT, and the writer reads the true last row and writes again.
// A plain prepared INSERT costs 0.9–1.4 ms (issue 15). DuckDB's appender was measured too: its flush
// is synchronous, so each commit held the event loop for its disk wait (4.4 ms a flush under load,
// with hardly two rows a flush), and inside a transaction it cost as much CPU as the INSERT.
import type { Clock } from '../shared/clock.ts';
import type { SqlParam, Warehouse } from '../warehouse/index.ts';
import {
  type AuditEntry,
  type AuditRow,
  type AuditTail,
  auditColumns,
  auditValues,
  buildAuditRows,
  readAuditTail,
} from './audit-log.ts';

interface Waiting {
  clock: Clock;
  entry: AuditEntry;
  resolve(row: AuditRow): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 200;
/** Batches up to this size run on kept prepared statements (one per size); a rare bigger one is not kept. */
const PREPARED_BATCH = 8;
const rowPlaceholder = `(${auditColumns.map(() => '?').join(', ')})`;

export class AuditWriter {
  private waiting: Waiting[] = [];
  private draining = false;
  /** The last row this writer wrote; undefined until its first write and after a failed one. */
  private tail: AuditTail | undefined;

  private constructor(private readonly connection: Warehouse) {}

  /** A writer on a new connection to `warehouse`'s database; close() it before the database. */
  static async open(warehouse: Warehouse): Promise<AuditWriter> {
    return new AuditWriter(await warehouse.connectAnother());
  }

  /**
   * Resolves once the row is committed. Group commit: the entries that arrive while a commit is under
   * way go together in the next one.
   */
  append(clock: Clock, entry: AuditEntry): Promise<AuditRow> {
    return new Promise<AuditRow>((resolve, reject) => {
      this.waiting.push({ clock, entry, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const rows = await this.write(batch);
          batch.forEach((waiting, i) => {
            waiting.resolve(rows[i]!);
          });
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: readonly Waiting[]): Promise<AuditRow[]> {
    const known = this.tail;
    this.tail = undefined;
    if (known) {
      const rows = buildAuditRows(batch, known);
      try {
        await this.insert(rows);
        this.tail = rows.at(-1);
        return rows;
      } catch {
        // Another connection appended since (the seq is taken): again below, after the true last row.
      }
    }
    const rows = buildAuditRows(batch, await readAuditTail(this.connection));
    await this.insert(rows);
    this.tail = rows.at(-1);
    return rows;
  }

  private async insert(rows: readonly AuditRow[]): Promise<void> {
    const sql = `INSERT INTO audit_log (${auditColumns.join(', ')}) VALUES ${rows.map(() => rowPlaceholder).join(', ')}`;
    const values: SqlParam[] = rows.flatMap(auditValues);
    if (rows.length <= PREPARED_BATCH) await this.connection.allPrepared(sql, values);
    else await this.connection.run(sql, values);
  }

  /** Closes the connection: call it once no append is pending. */
  close(): void {
    this.connection.close();
  }
}
