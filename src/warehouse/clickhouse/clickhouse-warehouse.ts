// The warehouse on a ClickHouse cluster, behind the same run/all/one/scalar/write as the DuckDB file.
// Statements on the Distributed tables go to one shard (the coordinator), which asks the others;
// shard-local work (loading, per-shard aggregates) names its shard. No transactions exist here:
// loads are made idempotent by per-file partitions instead (clickhouse-load.ts).
import { isAppError } from '../../shared/errors.ts';
import type { Row, SqlParam } from '../warehouse.ts';
import { bindClickHouse } from './clickhouse-literal.ts';
import { postStatement, type ShardAddress, shardDown } from './clickhouse-http.ts';
import { type ClickHouseAddress, parseClickHouseUrl } from './clickhouse-url.ts';
import { clickhouseSchema } from './clickhouse-schema.ts';

export class ClickHouseWarehouse {
  readonly engine = 'clickhouse' as const;
  readonly shards: readonly ShardAddress[];

  private constructor(
    readonly url: string,
    readonly database: string,
    shards: ShardAddress[],
    private readonly settings: Record<string, string> = {},
  ) {
    this.shards = shards;
  }

  /** Connects to every shard and brings the schema up to date (idempotent CREATE … IF NOT EXISTS). */
  static async open(url: string, options: { readOnly?: boolean } = {}): Promise<ClickHouseWarehouse> {
    const address: ClickHouseAddress = parseClickHouseUrl(url);
    const shards = address.shards.map((s, i) => ({ number: i + 1, host: s.host, port: s.port }));
    const warehouse = new ClickHouseWarehouse(url, address.database, shards);
    if (!options.readOnly) {
      for (const shard of shards) {
        await postStatement(shard, 'default', `CREATE DATABASE IF NOT EXISTS ${address.database}`);
        for (const statement of clickhouseSchema(address.database)) await warehouse.runOn(shard, statement);
      }
    }
    return warehouse;
  }

  /**
   * The same cluster for query text from outside: ClickHouse's own readonly=1 refuses every write and SET.
   * Not for the analyses: some set distributed_group_by_no_merge in their SELECT, which readonly=1 refuses.
   */
  readOnly(): ClickHouseWarehouse {
    return new ClickHouseWarehouse(this.url, this.database, [...this.shards], { readonly: '1' });
  }

  get coordinator(): ShardAddress {
    return this.shards[0]!;
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<void> {
    await this.distributed(() => this.post(this.coordinator, bindClickHouse(sql, params)));
  }

  async all<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.distributed(() => this.allOn<T>(this.coordinator, sql, params));
  }

  async one<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async scalar(sql: string, params?: readonly SqlParam[]): Promise<number> {
    const row = await this.one(sql, params);
    const value = row ? Object.values(row)[0] : undefined;
    return value === null || value === undefined ? 0 : Number(value);
  }

  /** No transactions on ClickHouse: the work runs as it is; callers keep it idempotent. */
  async write<T>(work: (tx: ClickHouseWarehouse) => Promise<T>): Promise<T> {
    return work(this);
  }

  /** A statement on one shard's own tables. */
  async runOn(shard: ShardAddress, sql: string, params?: readonly SqlParam[]): Promise<void> {
    await this.post(shard, bindClickHouse(sql, params));
  }

  async allOn<T extends Row = Row>(shard: ShardAddress, sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    const text = await this.post(shard, `${bindClickHouse(sql, params)}\nFORMAT JSON`);
    return (JSON.parse(text) as { data: T[] }).data;
  }

  /** A query's rows as ClickHouse's CSV text, through the coordinator. */
  async csv(sql: string, params?: readonly SqlParam[]): Promise<string> {
    return this.distributed(() => this.post(this.coordinator, `${bindClickHouse(sql, params)}\nFORMAT CSV`));
  }

  /**
   * Rows in ClickHouse's CSV format straight into one shard's table; `columns` named as every INSERT
   * names them. A stream body is sent as it is read (a file of any size, memory flat).
   */
  async insertCsv(
    shard: ShardAddress,
    table: string,
    columns: readonly string[],
    body: string | Uint8Array | ReadableStream<Uint8Array>,
  ): Promise<void> {
    await postStatement(shard, this.database, `INSERT INTO ${table} (${columns.join(', ')}) FORMAT CSV`, {
      body,
      settings: this.settings,
    });
  }

  close(): void {
    // HTTP: nothing held open.
  }

  private post(shard: ShardAddress, sql: string): Promise<string> {
    return postStatement(shard, this.database, sql, { settings: this.settings });
  }

  /**
   * A Distributed query fails on the coordinator when another shard is down, naming only its TCP
   * port: the error then says which shard of the cluster that is.
   */
  private async distributed<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isAppError(error) || error.code !== 'WAREHOUSE_QUERY') throw error;
      const text = `${error.message}\n${error.cause instanceof Error ? error.cause.message : ''}`;
      if (!/Connection refused|All connection tries failed|Timeout/.test(text)) throw error;
      const refused = /(?:Connection refused|Timeout[^(]*) \(([^():]+):(\d+)\)/.exec(text);
      if (!refused) throw error;
      const shard = await this.shardOfTcpPort(Number(refused[2])).catch(() => undefined);
      if (!shard) throw error;
      throw shardDown(shard, error);
    }
  }

  private async shardOfTcpPort(port: number): Promise<ShardAddress | undefined> {
    const rows = await this.allOn<{ shard_num: number }>(
      this.coordinator,
      'SELECT shard_num FROM system.clusters WHERE cluster = ? AND port = ?',
      ['telmark', port],
    );
    const number = rows[0]?.shard_num;
    return number === undefined ? undefined : this.shards.find((s) => s.number === Number(number));
  }
}
