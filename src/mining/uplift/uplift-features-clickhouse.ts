// upliftFeaturesSql's rows on a ClickHouse warehouse, for the subscribers of one pushed round
// (src/warehouse/clickhouse/clickhouse-round-contacts.ts): the same features as of the last loaded
// day, computed on each shard from its own rows (18.16: one JOIN per SELECT, so they are nested) and
// only for the round's contacts. The day is asked first, over every shard: a shard's own last day may
// be earlier than the cluster's.
import { AppError } from '../../shared/errors.ts';
import { type ClickHouseWarehouse, clickhouseLiteral } from '../../warehouse/clickhouse/index.ts';

export type UpliftFeatureRow = Record<string, string | number | null>;

export async function readUpliftFeaturesOnClickHouse(
  cluster: ClickHouseWarehouse,
  contactsKey: string,
): Promise<UpliftFeatureRow[]> {
  const last = await cluster.one<{ n: number; day: string }>(
    'SELECT count() AS n, toString(max(day)) AS day FROM agg_area_day',
  );
  if (!last || Number(last.n) === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'the ClickHouse warehouse holds no loaded days', {
      hint: 'load the feeds first: telmark --warehouse … load DIR',
    });
  const d = `toDate(${clickhouseLiteral(last.day)})`;
  const ids = `SELECT msisdn FROM campaign_contacts_local WHERE push_key = ${clickhouseLiteral(contactsKey)}`;
  // The area type seen most up to the day (ties: the first by name), as DuckDB's row_number.
  const home = `SELECT msisdn, tupleElement(arraySort(groupArray((-events, area_type)))[1], 2) AS area_type FROM (
      SELECT msisdn, area_type, count() AS events FROM (
        SELECT msisdn, cell_id FROM signalling_local WHERE ts < toDateTime(${d} + 1) AND msisdn IN (${ids})
      ) ALL INNER JOIN (SELECT cell_id, area_type FROM cells) USING cell_id
      GROUP BY msisdn, area_type
    ) GROUP BY msisdn`;
  const bills = `SELECT msisdn, round(argMax(toFloat64(total_fee), month), 2) AS arpu FROM billing_local
    WHERE month <= toStartOfMonth(${d}) AND msisdn IN (${ids}) GROUP BY msisdn`;
  const sql = `SELECT msisdn, brand, county, plan, gender, area_type, age, tenure_months, arpu FROM (
      SELECT msisdn, brand, county, plan, gender, age, tenure_months, area_type FROM (
        SELECT msisdn, brand, county, plan_id AS plan, gender, toInt32(toYear(${d}) - birth_year) AS age,
               toInt32((toYear(${d}) * 12 + toMonth(${d})) - (toYear(activated_on) * 12 + toMonth(activated_on))) AS tenure_months
        FROM subscribers_local WHERE activated_on <= ${d} AND msisdn IN (${ids})
      ) ANY LEFT JOIN (${home}) USING msisdn
    ) ANY LEFT JOIN (${bills}) USING msisdn`;
  const rows: UpliftFeatureRow[] = [];
  for (const shard of cluster.shards) rows.push(...(await cluster.allOn<UpliftFeatureRow>(shard, sql)));
  return rows;
}
