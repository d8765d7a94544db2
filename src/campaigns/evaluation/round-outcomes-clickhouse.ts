// roundOutcomes for a ClickHouse warehouse: the same rows as round-outcomes.ts computes on DuckDB. Who
// counts and from when (the assignments, the outbox's submission times) is read from the DuckDB file,
// where the campaign's state lives; those contacts are pushed to the cluster, sharded by msisdn; each
// shard then finds its contacts' first order of the service within the window and any cancellation in
// the trial, joined with its own subscribers. Only one row per contact comes back (18.16: one JOIN per
// SELECT, so the joins are nested).
import {
  type ClickHouseWarehouse,
  pushRoundContacts,
  type RoundContact,
  roundContactsKey,
} from '../../warehouse/clickhouse/index.ts';
import { clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { OutcomeRow, RoundWindow } from './round-outcomes.ts';

/** The round's population as DuckDB's roundOutcomes takes it, from the state in the file. */
async function roundPopulation(state: Warehouse, w: RoundWindow): Promise<RoundContact[]> {
  return state.all<RoundContact & Record<string, unknown>>(
    `WITH rnd AS (SELECT started_at FROM campaign_rounds WHERE campaign_id = ? AND round = ?)
     SELECT a.msisdn, a.grp,
            CAST(CASE WHEN a.grp = 'control' THEN rnd.started_at
                      ELSE coalesce(o.submitted_at, o.final_at, o.queued_at) END AS VARCHAR) AS t0
     FROM campaign_assignments a CROSS JOIN rnd LEFT JOIN channel_outbox o ON o.message_id = a.message_id
     WHERE a.campaign_id = ? AND a.round = ? AND (a.grp = 'control' OR o.status IN ('submitted', 'delivered'))`,
    [w.campaignId, w.round, w.campaignId, w.round],
  );
}

type ShardRow = {
  msisdn: string;
  grp: 'contacted' | 'control';
  responded_after_days: number | null;
  cancelled: number | null;
  county: string | null;
  brand: string | null;
  age: number | null;
};

export async function roundOutcomesOnClickHouse(
  state: Warehouse,
  cluster: ClickHouseWarehouse,
  w: RoundWindow,
): Promise<OutcomeRow[]> {
  const key = roundContactsKey(w.campaignId, w.round);
  await pushRoundContacts(cluster, key, await roundPopulation(state, w));
  const trialMonths = await cluster.scalar('SELECT max(trial_months) FROM services WHERE service_id = ?', [
    w.serviceId,
  ]);
  const k = clickhouseLiteral(key);
  const service = clickhouseLiteral(w.serviceId);
  const windowSec = Math.trunc(w.windowDays) * 86_400;
  const contacts = `SELECT msisdn, grp, t0, t0_from FROM campaign_contacts_local WHERE push_key = ${k}`;
  // The first order of the service from the contact until the window ends (DuckDB: ts >= t0, ts < t0 + days).
  const responses = `SELECT msisdn, toUInt8(1) AS responded, min(order_ts) AS first_order
    FROM (${contacts})
    ALL INNER JOIN (SELECT msisdn, ts AS order_ts FROM orders_local WHERE service_id = ${service} AND action = 'subscribe') USING msisdn
    WHERE order_ts >= t0_from AND order_ts < t0_from + ${windowSec}
    GROUP BY msisdn`;
  // An unsubscribe after the first order, within the free months (without a trial: within the window).
  const until = trialMonths > 0 ? `addMonths(first_order, ${Math.trunc(trialMonths)})` : `first_order + ${windowSec}`;
  const cancels = `SELECT msisdn, toUInt8(1) AS cancelled FROM (SELECT msisdn, first_order FROM (${responses}))
    ALL INNER JOIN (SELECT msisdn, ts AS cancel_ts FROM orders_local WHERE service_id = ${service} AND action = 'unsubscribe') USING msisdn
    WHERE cancel_ts > first_order AND cancel_ts < ${until}
    GROUP BY msisdn`;
  // DuckDB's date_diff('second', t0, first_order) counts whole seconds of each: from t0's whole second.
  const sql = `SELECT msisdn, grp,
      if(ifNull(responded, 0) = 1, (toInt64(first_order) - toInt64(t0)) / 86400, NULL) AS responded_after_days,
      cancelled, county, brand, toInt32(toYear(t0) - birth_year) AS age
    FROM (
      SELECT msisdn, grp, t0, responded, first_order, cancelled FROM (
        SELECT msisdn, grp, t0, responded, first_order FROM (${contacts})
        ANY LEFT JOIN (SELECT msisdn, responded, first_order FROM (${responses})) USING msisdn
      ) ANY LEFT JOIN (${cancels}) USING msisdn
    ) ANY LEFT JOIN (SELECT msisdn, county, brand, birth_year FROM subscribers_local) USING msisdn`;
  const rows: OutcomeRow[] = [];
  for (const shard of cluster.shards) {
    for (const r of await cluster.allOn<ShardRow>(shard, sql)) {
      rows.push({
        msisdn: r.msisdn,
        grp: r.grp,
        county: r.county ?? '?',
        brand: r.brand ?? '?',
        age: r.age === null ? -1 : Number(r.age),
        responded_after_days: r.responded_after_days === null ? null : Number(r.responded_after_days),
        cancelled: Number(r.cancelled ?? 0) === 1,
      });
    }
  }
  return rows.sort((a, b) => (a.msisdn < b.msisdn ? -1 : a.msisdn > b.msisdn ? 1 : 0));
}

/** The last order time loaded on the cluster: how far the response window can be read. */
export async function ordersLoadedUntilOnClickHouse(cluster: ClickHouseWarehouse): Promise<string | null> {
  const row = await cluster.one<{ n: number; until: string }>(
    'SELECT count() AS n, toString(max(ts)) AS until FROM orders',
  );
  return row && Number(row.n) > 0 ? row.until : null;
}
