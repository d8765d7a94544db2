// Holding spells on one shard (msisdn, service_id, started_on, trial, has_end, ended_on), as DuckDB's
// `subscriptions` holds them: from the opening balance and the orders, events per subscriber and
// service sorted by time (an unsubscribe before a subscribe at the same moment, as DuckDB's
// `ORDER BY ts, action DESC`); a spell starts at a subscribe whose previous event is none or an
// unsubscribe and ends at the first unsubscribe at or after its start. The same text as the spells in
// service-day-aggregates.ts, kept here for the subscriber facts (arrays instead of a window function).
export const holdingSpellsSql = `
  SELECT msisdn, service_id, toDate(start_ts) AS started_on, trial,
         arrayExists(e -> tupleElement(e, 2) = 0 AND tupleElement(e, 1) >= start_ts, ev) AS has_end,
         toDate(tupleElement(arrayFirst(e -> tupleElement(e, 2) = 0 AND tupleElement(e, 1) >= start_ts, ev), 1)) AS ended_on
  FROM (
    SELECT msisdn, service_id, ev, tupleElement(ev[i], 1) AS start_ts, tupleElement(ev[i], 3) AS trial
    FROM (
      SELECT msisdn, service_id, arraySort(groupArray((ts, rank, trial))) AS ev FROM (
        SELECT msisdn, service_id, toDateTime(subscribed_on) AS ts, toUInt8(1) AS rank, trial FROM subscriptions_opening_local
        UNION ALL
        SELECT msisdn, service_id, ts, toUInt8(action = 'subscribe') AS rank, trial FROM orders_local
      ) GROUP BY msisdn, service_id
    )
    ARRAY JOIN arrayEnumerate(ev) AS i
    WHERE tupleElement(ev[i], 2) = 1 AND (i = 1 OR tupleElement(ev[i - 1], 2) = 0)
  )`;
