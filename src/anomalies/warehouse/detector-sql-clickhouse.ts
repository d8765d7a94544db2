// The detectors' queries on a ClickHouse warehouse. Their DuckDB texts (kpi-slices.ts, group-change.ts,
// the unconfirmed-orders rule) are small aggregates over the carried aggregate tables, written with
// three DuckDB words that 18.16 lacks: `CAST(x AS VARCHAR)`, `::DOUBLE` and `GROUP BY ALL`. They are
// turned into ClickHouse's words here, one rule each, rather than kept twice: a new slice family then
// runs on both engines as written (test/anomalies/detector-sql-clickhouse.test.ts checks every one).
// `toString(day) AS day` shadows the column in WHERE (ClickHouse aliases are global): the comparison
// with the YYYY-MM-DD bounds is then on text, which orders as the dates do.
import { AppError } from '../../shared/errors.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';

const aggregate = /^(sum|count|min|max|avg|toFloat64)\(/i;

export function detectorSqlForClickHouse(sql: string): string {
  let text = sql
    .replace(/CAST\(([\s\S]*?) AS VARCHAR\)/g, 'toString($1)')
    .replace(/(sum\([a-z_]+\))::DOUBLE/g, 'toFloat64($1)');
  if (/\bGROUP BY ALL\b/.test(text)) text = text.replace(/\bGROUP BY ALL\b/, `GROUP BY ${groupKeys(text)}`);
  if (/::|\bGROUP BY ALL\b|\bVARCHAR\b|\bFILTER\b|\bASOF\b/.test(text))
    throw new AppError('INTERNAL', `a detector query has DuckDB words left for ClickHouse: ${text.slice(0, 200)}`);
  return text;
}

/** The SELECT list's items that are not aggregates, by their alias when they have one. */
function groupKeys(sql: string): string {
  const list = /^\s*SELECT\s+(?:DISTINCT\s+)?([\s\S]*?)\s+FROM\s/i.exec(sql)?.[1];
  if (!list) throw new AppError('INTERNAL', `cannot read the SELECT list of: ${sql.slice(0, 200)}`);
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  items.push(current.trim());
  return items
    .filter((item) => !aggregate.test(item))
    .map((item) => /\s+AS\s+([a-z_]+)$/i.exec(item)?.[1] ?? item)
    .join(', ');
}

/**
 * The quick-cancel rule without DuckDB's ASOF JOIN: a subscribe followed by a cancellation of the same
 * service within `minutes` (the first cancellation at or after it is within the limit exactly when some
 * cancellation is). Each shard counts its own subscribers per day, channel and service (a subscriber
 * lives on one shard, so the counts add up exactly); the threshold applies to the sums.
 */
export async function quickCancelsOnClickHouse(
  cluster: ClickHouseWarehouse,
  range: { from: string; to: string },
  minutes: number,
  minimum: number,
): Promise<{ day: string; channel: string; service: string; subscribers: number }[]> {
  const sql = `SELECT toString(toDate(ts)) AS sub_day, channel, service_id AS service, uniqExact(msisdn) AS subscribers
    FROM (SELECT msisdn, service_id, ts, channel FROM orders_local
          WHERE action = 'subscribe' AND toDate(ts) BETWEEN toDate(?) AND toDate(?))
    ALL INNER JOIN (SELECT msisdn, service_id, ts AS cancel_ts FROM orders_local
          WHERE action = 'unsubscribe' AND toDate(ts) BETWEEN toDate(?) AND toDate(?) + 1) USING (msisdn, service_id)
    WHERE cancel_ts >= ts AND cancel_ts <= ts + ?
    GROUP BY sub_day, channel, service`;
  const totals = new Map<string, { day: string; channel: string; service: string; subscribers: number }>();
  for (const shard of cluster.shards) {
    const rows = await cluster.allOn<{ sub_day: string; channel: string; service: string; subscribers: number }>(
      shard,
      sql,
      [range.from, range.to, range.from, range.to, Math.trunc(minutes) * 60],
    );
    for (const r of rows) {
      const key = `${r.sub_day}|${r.channel}|${r.service}`;
      const total = totals.get(key) ?? { day: r.sub_day, channel: r.channel, service: r.service, subscribers: 0 };
      total.subscribers += Number(r.subscribers);
      totals.set(key, total);
    }
  }
  const order = (r: { day: string; channel: string; service: string }) => [r.day, r.channel, r.service];
  return [...totals.values()]
    .filter((r) => r.subscribers >= minimum)
    .sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
}
