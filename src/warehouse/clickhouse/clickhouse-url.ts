// `--warehouse clickhouse://host:port,host:port/db`: the HTTP address of every shard, in the order of
// the cluster's `remote_servers` (shard 1 first), and the database.
import { AppError } from '../../shared/errors.ts';

export interface ClickHouseAddress {
  shards: { host: string; port: number }[];
  database: string;
}

export function isClickHouseUrl(text: string | undefined): boolean {
  return text !== undefined && /^clickhouse:\/\//i.test(text);
}

export function parseClickHouseUrl(text: string): ClickHouseAddress {
  const fix =
    'write it as clickhouse://HOST:HTTP_PORT[,HOST:HTTP_PORT…]/DATABASE, e.g. what `telmark cluster up --format json` prints';
  const match = /^clickhouse:\/\/([^/]+)\/([A-Za-z_][A-Za-z0-9_]*)$/i.exec(text.trim());
  if (!match)
    throw new AppError('CONFIG_INVALID', `"${text}" is not a ClickHouse warehouse address`, {
      location: { field: 'warehouse' },
      hint: fix,
    });
  const shards = match[1]!.split(',').map((part) => {
    const at = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(part.trim());
    const port = Number(at?.[2]);
    if (!at || port < 1 || port > 65535)
      throw new AppError('CONFIG_INVALID', `"${part}" in ${text} is not HOST:PORT`, {
        location: { field: 'warehouse' },
        hint: fix,
      });
    return { host: at[1]!, port };
  });
  return { shards, database: match[2]! };
}
