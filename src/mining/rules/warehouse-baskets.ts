// Baskets from the warehouse: the services a subscriber holds together, or the services a subscriber
// used in the same month. SQL beside the domain that owns it; nothing here is built from user text.
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { type BasketSet, buildBasketSet } from './basket-set.ts';

export type WarehouseBasketKind = 'holdings' | 'monthly-usage';

const basketQueries: Record<WarehouseBasketKind, string> = {
  holdings: `
    SELECT msisdn, list(DISTINCT service_id ORDER BY service_id) AS items
    FROM subscriptions WHERE ended_on IS NULL
    GROUP BY msisdn ORDER BY msisdn`,
  'monthly-usage': `
    SELECT msisdn, date_trunc('month', day) AS month, list(DISTINCT service_id ORDER BY service_id) AS items
    FROM agg_subscriber_service_day WHERE usage_events > 0
    GROUP BY msisdn, month ORDER BY msisdn, month`,
};

/** The same baskets on ClickHouse, through the Distributed tables (one basket per subscriber comes back). */
const clickhouseBasketQueries: Record<WarehouseBasketKind, string> = {
  holdings: `
    SELECT msisdn, arraySort(groupUniqArray(service_id)) AS items
    FROM subscriptions WHERE isNull(ended_on)
    GROUP BY msisdn ORDER BY msisdn`,
  'monthly-usage': `
    SELECT msisdn, toStartOfMonth(day) AS month, arraySort(groupUniqArray(service_id)) AS items
    FROM agg_subscriber_service_day WHERE usage_events > 0
    GROUP BY msisdn, month ORDER BY msisdn, month`,
};

export function isWarehouseBasketKind(value: string): value is WarehouseBasketKind {
  return value in basketQueries;
}

export async function readWarehouseBaskets(
  warehouse: Warehouse | ClickHouseWarehouse,
  kind: WarehouseBasketKind,
): Promise<BasketSet> {
  const queries = warehouse.engine === 'clickhouse' ? clickhouseBasketQueries : basketQueries;
  const rows = await warehouse.all<{ items: unknown }>(queries[kind]);
  return buildBasketSet(rows.map((row) => (Array.isArray(row.items) ? row.items.map(String) : [])));
}
