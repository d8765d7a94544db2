// One ClickHouse server's HTTP interface: statements POSTed as text, answers as JSON. Every failure
// names the shard, so a shard that is down is never mistaken for an empty answer.
import { AppError } from '../../shared/errors.ts';

export interface ShardAddress {
  /** 1-based, as in the cluster's remote_servers. */
  number: number;
  host: string;
  port: number;
}

export interface ClickHouseAnswer<T> {
  data: T[];
}

/**
 * Settings sent with every statement: 64-bit integers as JSON numbers (exact below 2^53); an outer
 * join's missing side is NULL, as in DuckDB, not the type's default.
 */
const baseSettings = { output_format_json_quote_64bit_integers: '0', join_use_nulls: '1' };

export async function postStatement(
  shard: ShardAddress,
  database: string,
  sql: string,
  options: { body?: string | Uint8Array | ReadableStream<Uint8Array>; settings?: Record<string, string> } = {},
): Promise<string> {
  const params = new URLSearchParams({ database, ...baseSettings, ...(options.settings ?? {}) });
  // With a body (an INSERT's rows) the statement goes in the URL; otherwise it is the body.
  if (options.body !== undefined) params.set('query', sql);
  const url = `http://${shard.host}:${shard.port}/?${params}`;
  const send = () =>
    fetch(url, {
      method: 'POST',
      body: options.body ?? sql,
      ...(options.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  let response: Response;
  try {
    response = await send().catch(async (error: unknown) => {
      // A kept-alive connection the server closed meanwhile fails before the request is read: a read
      // is sent once more on a new one. Writes are not, so nothing is ever written twice.
      if (options.body !== undefined || !/^\s*SELECT\b/i.test(sql)) throw error;
      return send();
    });
  } catch (error) {
    throw shardDown(shard, error);
  }
  const text = await response.text().catch((error: unknown) => {
    throw shardDown(shard, error);
  });
  if (!response.ok) throw statementError(shard, sql, text);
  return text;
}

export function shardDown(shard: ShardAddress, cause: unknown): AppError {
  return new AppError(
    'WAREHOUSE_UNAVAILABLE',
    `ClickHouse shard ${shard.number} (${shard.host}:${shard.port}) does not answer`,
    {
      hint: 'start it again (telmark cluster up starts local shards); no partial answer is given without every shard',
      cause,
    },
  );
}

function statementError(shard: ShardAddress, sql: string, text: string): AppError {
  const message = text
    .replace(/, e\.what\(\) = DB::\w+/g, '')
    .trim()
    .split('\n')[0]!
    .slice(0, 400);
  const head = sql.replace(/\s+/g, ' ').trim().slice(0, 120);
  // The whole answer stays as the cause: a distributed query names the shard it could not reach on later lines.
  return new AppError('WAREHOUSE_QUERY', `ClickHouse shard ${shard.number}: ${message}`, {
    hint: `while running: ${head}`,
    cause: new Error(text),
  });
}
