// The outbox's marketing messages pushed beside the facts, for the marketing analysis: the outbox lives
// in the DuckDB file (operational state), the orders that answer a message on the cluster. Each message
// goes to the shard that holds its subscriber (the loader's CityHash64 placement), so the join with the
// orders runs on each shard over its own rows and only per-group counts come back.
//
// The push is keyed by its content (a hash of the rows): pushing the same outbox again finds its
// partition complete on every shard and writes nothing; a changed outbox gets a new partition, written
// after dropping any rows of an attempt killed half-way, and older partitions are dropped once it is in.
// So a re-push replaces, never doubles, and repeated analyses of an unchanged outbox cost one count.
// Pushes and their reads take turns within a process (withMarketingMessages); the cluster is meant to
// have one operational store, so no other process pushes another outbox between them.
import { createHash } from 'node:crypto';
import { shardOf } from './city-hash.ts';
import { clickhouseLiteral } from './clickhouse-literal.ts';
import type { ClickHouseWarehouse } from './clickhouse-warehouse.ts';
import { clusterName } from './cluster-name.ts';
import { wholeSeconds } from './whole-seconds.ts';

export interface MarketingMessage {
  messageId: string;
  source: string;
  /** Whom the message counts against: the msisdn when known. */
  subscriber: string;
  serviceId: string | null;
  /** `YYYY-MM-01` of the month the message was queued in. */
  month: string;
  delivered: boolean;
  /** When the response window opens (final, else submitted, else queued), local `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
  sentAt: string;
}

export function marketingMessagesSchema(database: string): string[] {
  return [
    // sent_from: the first whole second not before the sending time. Order times are whole seconds,
    // so `ts >= sent_at AND ts < sent_at + N days` is `ts >= sent_from AND ts < sent_from + N days`.
    `CREATE TABLE IF NOT EXISTS marketing_messages_local (push_key String, message_id String, source String,
       msisdn String, service_id String, has_service UInt8, month String, delivered UInt8, sent_from DateTime)
       ENGINE = MergeTree PARTITION BY push_key ORDER BY msisdn`,
    `CREATE TABLE IF NOT EXISTS marketing_messages AS marketing_messages_local ENGINE = Distributed(${clusterName}, ${database}, marketing_messages_local, cityHash64(msisdn))`,
  ];
}

/**
 * The shard of a subscriber's rows. A subscriber that is no phone number (an e-mail recipient) has no
 * subscriber or order rows on any shard, so any shard answers for it the same: the first.
 */
function placeOf(subscriber: string, shards: number): number {
  const bytes = Buffer.byteLength(subscriber);
  return bytes >= 9 && bytes <= 16 ? shardOf(subscriber, shards) : 0;
}

const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;

const columns = [
  'push_key',
  'message_id',
  'source',
  'msisdn',
  'service_id',
  'has_service',
  'month',
  'delivered',
  'sent_from',
];

/** The pushes and reads of this process, one at a time per cluster: a push drops the partitions before it. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Pushes `messages` and runs `read` with the key to read them by (`WHERE push_key = key`), one such
 * step at a time per cluster in this process, so no read sees its partition dropped by another's push.
 */
export async function withMarketingMessages<T>(
  cluster: ClickHouseWarehouse,
  messages: readonly MarketingMessage[],
  read: (key: string) => Promise<T>,
): Promise<T> {
  const before = queues.get(cluster.url) ?? Promise.resolve();
  const step = before.catch(() => undefined).then(async () => read(await pushMarketingMessages(cluster, messages)));
  const tail = step.catch(() => undefined);
  queues.set(cluster.url, tail);
  try {
    return await step;
  } finally {
    if (queues.get(cluster.url) === tail) queues.delete(cluster.url);
  }
}

/** Puts `messages` on the cluster, each on its subscriber's shard; returns the push key to read them by. */
export async function pushMarketingMessages(
  cluster: ClickHouseWarehouse,
  messages: readonly MarketingMessage[],
): Promise<string> {
  const bodies = cluster.shards.map(() => [] as string[]);
  for (const m of messages) {
    const fields = [
      m.messageId,
      m.source,
      m.subscriber,
      m.serviceId ?? '',
      m.serviceId === null ? '0' : '1',
      m.month,
      m.delivered ? '1' : '0',
      wholeSeconds(m.sentAt).from,
    ];
    bodies[placeOf(m.subscriber, cluster.shards.length)]!.push(fields.map(csvField).join(','));
  }
  const hash = createHash('sha256');
  for (const body of bodies) hash.update(`${body.join('\n')}\u0000`);
  const key = `outbox-${hash.digest('hex').slice(0, 32)}`;
  const k = clickhouseLiteral(key);
  for (const [index, shard] of cluster.shards.entries()) {
    for (const statement of marketingMessagesSchema(cluster.database)) await cluster.runOn(shard, statement);
    const body = bodies[index]!;
    const held = await cluster.allOn<{ n: number }>(
      shard,
      `SELECT count() AS n FROM marketing_messages_local WHERE push_key = ${k}`,
    );
    if (Number(held[0]?.n ?? 0) === body.length) continue;
    await cluster.runOn(shard, `ALTER TABLE marketing_messages_local DROP PARTITION ${k}`);
    if (body.length > 0)
      await cluster.insertCsv(
        shard,
        'marketing_messages_local',
        columns,
        `${body.map((r) => `${csvField(key)},${r}`).join('\n')}\n`,
      );
  }
  // The older pushes, once this one is complete everywhere.
  for (const shard of cluster.shards) {
    const stale = await cluster.allOn<{ key: string }>(
      shard,
      `SELECT DISTINCT push_key AS key FROM marketing_messages_local WHERE push_key != ${k}`,
    );
    for (const { key: old } of stale)
      await cluster.runOn(shard, `ALTER TABLE marketing_messages_local DROP PARTITION ${clickhouseLiteral(old)}`);
  }
  return key;
}
