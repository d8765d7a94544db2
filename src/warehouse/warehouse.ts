// The one door to DuckDB. Only this folder talks to the engine; everything else asks a Warehouse.
import { existsSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { AppError } from '../shared/errors.ts';
import { migrate } from './migrate.ts';
import { PreparedStatements } from './prepared-statements.ts';
import { readOwner } from './warehouse-owner.ts';

export type SqlParam = string | number | boolean | null | bigint;
export type Row = Record<string, unknown>;

export interface WarehouseOptions {
  /** DuckDB worker threads; 0 or absent lets DuckDB decide. */
  threads?: number;
  memoryLimit?: string;
  /** Skip creating tables; for read-only use of an existing file. */
  readOnly?: boolean;
  /**
   * For query text from outside (`telmark sql`): read-only, no file or network access beyond the
   * warehouse itself, and the configuration locked so a query cannot turn either back on. The loader
   * reads feed files with read_csv, so only these instances are locked down.
   */
  forOutsideQueries?: boolean;
}

/**
 * The writers of one open database, one after another. DuckDB resolves concurrent writes to the same
 * rows by failing one of them at commit; queueing them instead lets every write succeed.
 */
class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class Warehouse {
  readonly engine = 'duckdb' as const;
  /** This connection's kept statements (allPrepared), made at the first use. */
  private prepared: PreparedStatements | undefined;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly writes: WriteQueue,
    private readonly ownsInstance = true,
    /** A connection made by write(): always inside its transaction, never queued again. */
    private readonly insideWrite = false,
  ) {}

  /**
   * Another connection to the same open database: its queries run beside this one's instead of
   * queueing behind them (the API's readers). Closing it leaves the database open.
   */
  async connectAnother(): Promise<Warehouse> {
    return new Warehouse(this.path, this.instance, await this.instance.connect(), this.writes, false);
  }

  /** Opens (creating if needed) the warehouse file and brings its schema up to date. */
  static async open(path: string, options: WarehouseOptions = {}): Promise<Warehouse> {
    const settings: Record<string, string> = {};
    if (options.threads) settings.threads = String(options.threads);
    if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
    const readOnly = options.readOnly || options.forOutsideQueries;
    if (readOnly) settings.access_mode = 'READ_ONLY';
    if (options.forOutsideQueries) {
      settings.enable_external_access = 'false';
      settings.lock_configuration = 'true';
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, settings);
    } catch (error) {
      if (readOnly && !existsSync(path)) {
        throw new AppError('WAREHOUSE_EMPTY', `there is no warehouse at ${path}`, {
          location: { file: path },
          hint: 'load feeds first (`telmark load DIR`), or point --db at a warehouse file',
          cause: error,
        });
      }
      throw describeOpenError(path, error);
    }
    const connection = await instance.connect();
    const warehouse = new Warehouse(path, instance, connection, new WriteQueue());
    if (!readOnly) await migrate(warehouse);
    return warehouse;
  }

  /** Runs statements that return nothing of interest. */
  async run(sql: string, params?: readonly SqlParam[]): Promise<void> {
    try {
      await this.connection.run(sql, params as DuckDBValue[] | undefined);
    } catch (error) {
      throw queryError(sql, error);
    }
  }

  /** Rows as plain objects: integers as numbers (strings past 2^53), decimals as numbers, dates and times as ISO text. */
  async all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjects().map((row) => plainRow(row) as T);
    } catch (error) {
      throw queryError(sql, error);
    }
  }

  /**
   * As all(), on a statement this connection parses and plans once and keeps: for the few queries a hot
   * path runs again and again with new parameters (a profile's keyed reads, the token check). Only SQL
   * written in the code: each distinct text is kept until the connection closes.
   */
  async allPrepared<T extends Row = Row>(sql: string, params: readonly SqlParam[]): Promise<T[]> {
    this.prepared ??= new PreparedStatements(this.connection);
    try {
      const rows = await this.prepared.run(sql, params as DuckDBValue[]);
      return rows.map((row) => plainRow(row) as T);
    } catch (error) {
      throw queryError(sql, error);
    }
  }

  async one<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  /** A single number, e.g. a COUNT(*). */
  async scalar(sql: string, params?: readonly SqlParam[]): Promise<number> {
    const row = await this.one(sql, params);
    const value = row ? Object.values(row)[0] : undefined;
    return value === null || value === undefined ? 0 : Number(value);
  }

  /**
   * Runs `work` inside one transaction on this connection, after the other writers of the database:
   * all of it lands, or none of it. For a connection no one else uses (a load, temp tables included);
   * code that shares its Warehouse with others (request handlers, the stream) writes with write().
   */
  async transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    if (this.insideWrite) return work(this);
    return this.writes.run(() => this.inTransaction(work));
  }

  /**
   * One statement as its own transaction, after the other writers of the database: the cheapest
   * durable write (one call into the engine instead of three), for a hot path such as the sender's journal.
   */
  async runAlone(sql: string, params?: readonly SqlParam[]): Promise<void> {
    if (this.insideWrite) return this.run(sql, params);
    return this.writes.run(() => this.run(sql, params));
  }

  /**
   * Runs `work` in one transaction on a connection of its own, after the other writers of the
   * database. Concurrent requests that write therefore never share a transaction (one request's
   * BEGIN inside another's, or its failure aborting the other's), and never fail each other at commit.
   * Inside `work`, write through `tx` only: a transaction() or write() on the shared Warehouse would wait
   * for this one to end.
   */
  async write<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    if (this.insideWrite) return work(this);
    return this.writes.run(async () => {
      const tx = new Warehouse(this.path, this.instance, await this.instance.connect(), this.writes, false, true);
      try {
        return await tx.inTransaction(work);
      } finally {
        tx.close();
      }
    });
  }

  private async inTransaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work(this);
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The raw connection, for the appender and streaming reads inside warehouse/. */
  get raw(): DuckDBConnection {
    return this.connection;
  }

  async tableExists(name: string): Promise<boolean> {
    return (await this.scalar('SELECT count(*) FROM information_schema.tables WHERE table_name = ?', [name])) > 0;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** Opens the warehouse, runs `work`, and always closes it again. */
export async function withWarehouse<T>(
  path: string,
  work: (warehouse: Warehouse) => Promise<T>,
  options?: WarehouseOptions,
): Promise<T> {
  const warehouse = await Warehouse.open(path, options);
  try {
    return await work(warehouse);
  } finally {
    warehouse.close();
  }
}

function plainRow(row: Record<string, DuckDBValue>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = plainValue(value);
  return out;
}

function plainValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'bigint') {
    // Exact below 2^53; beyond that a string, never a silently rounded number.
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (typeof value === 'object' && value !== null) {
    const name = value.constructor?.name;
    if (name === 'DuckDBDecimalValue') return Number(value.toString());
    if (name === 'DuckDBListValue' || name === 'DuckDBArrayValue') {
      return (value as unknown as { items: DuckDBValue[] }).items.map(plainValue);
    }
    if (name === 'DuckDBStructValue') {
      const entries = (value as unknown as { entries: Record<string, DuckDBValue> }).entries;
      return plainRow(entries);
    }
    return value.toString();
  }
  return String(value);
}

function describeOpenError(path: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    const owner = readOwner(path);
    const who = owner
      ? `\`${owner.role}\` (pid ${owner.pid}${owner.url ? `, serving ${owner.url}` : ''})`
      : `another process${pid ? ` (pid ${pid})` : ''}`;
    return new AppError('WAREHOUSE_LOCKED', `the warehouse ${path} is held by ${who}`, {
      location: { file: path },
      hint: owner?.url
        ? `use the running server (dashboard ${owner.url}, API ${owner.url}/api/docs), stop it, or use another --db`
        : 'a running `telmark serve`, `telmark stream` or `telmark demo` owns it: stop it, or use another --db',
      cause: error,
    });
  }
  return new AppError('INTERNAL', `cannot open the warehouse ${path}: ${message}`, {
    location: { file: path },
    cause: error,
  });
}

function queryError(sql: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Transaction conflict|write-write conflict|Conflict on (tuple|update)/i.test(message)) {
    return new AppError('WRITE_CONFLICT', 'another write changed the same rows at the same time', {
      hint: 'try again',
      cause: error,
    });
  }
  const head = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
  return new AppError('WAREHOUSE_QUERY', message, { hint: `while running: ${head}`, cause: error });
}
