// Statements parsed and planned once per connection and run again with new parameters: for a hot path
// (the call-centre profile, the token check of every request) parsing and planning are a fifth to a
// third of a keyed read's cost (issue 15). A DuckDB prepared statement holds its bound parameters until
// it runs, and a run happens later on a worker thread, so two requests sharing one statement would run
// each other's parameters: the runs go one after another. One queue for the connection rather than one
// per statement: a connection runs one statement at a time anyway, and a second run sent meanwhile would
// hold one of libuv's four worker threads, which every DuckDB call and file access of the process share,
// waiting for the connection's lock.
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';

interface Kept {
  statement: Promise<DuckDBPreparedStatement>;
}

/**
 * Only statements written in the code are kept (never text from outside), so the set is small; the
 * bound guards against a caller that builds its SQL per call by mistake.
 */
const MAX_KEPT = 64;

export class PreparedStatements {
  private readonly kept = new Map<string, Kept>();
  /** The run in progress or queued last on this connection; the next waits for it. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly connection: DuckDBConnection) {}

  /** Runs `sql` with `params` on the kept statement, and returns its rows as DuckDB gives them. */
  run(sql: string, params: readonly DuckDBValue[]): Promise<Record<string, DuckDBValue>[]> {
    const kept = this.statementFor(sql);
    const result = this.tail.then(async () => {
      const statement = await kept.statement;
      statement.bind([...params]);
      // run() gives the whole result in memory: its chunks are read synchronously, where
      // runAndReadAll() fetched each one, and then the empty end, through libuv's pool, two more
      // thread hops a statement (about 0.05 ms of CPU of a keyed read's 0.4, issue 15).
      const result = await statement.run();
      const names = result.deduplicatedColumnNames();
      const rows: Record<string, DuckDBValue>[] = [];
      for (let i = 0; i < result.chunkCount; i++) result.getChunk(i).appendToRowObjects(names, rows);
      return rows;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private statementFor(sql: string): Kept {
    const found = this.kept.get(sql);
    if (found) return found;
    if (this.kept.size >= MAX_KEPT) this.forgetOldest();
    const statement = this.connection.prepare(sql);
    const kept: Kept = { statement };
    this.kept.set(sql, kept);
    // A statement that does not prepare (a missing table) is not kept: the next call tries again.
    statement.catch(() => {
      if (this.kept.get(sql) === kept) this.kept.delete(sql);
    });
    return kept;
  }

  private forgetOldest(): void {
    const [sql, oldest] = this.kept.entries().next().value as [string, Kept];
    this.kept.delete(sql);
    // Destroyed once the runs queued so far (its own among them) are over; the connection destroys any
    // left at close.
    void this.tail.then(() => oldest.statement.then((s) => s.destroySync())).catch(() => undefined);
  }
}
