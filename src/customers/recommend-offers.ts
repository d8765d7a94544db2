// Offers an agent can make, each with a one-line reason. From the latest cross-sell model when one is
// stored (its ranked offers, explained by the strongest stored rule the customer's holdings fire, or by
// the model's propensity); otherwise, or when the model did not score this customer, a rule-based
// fallback: the services most held by customers of the same brand in the same county.
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../warehouse/index.ts';
import type { Bilingual, Offer } from './customer-profile.ts';
import { type ServiceCatalogue, serviceLabel } from './customer-labels.ts';
import type { StoredRule } from './profile-reference-cache.ts';
import type { OfferRow } from './read-customer-rows.ts';

export interface OfferContext {
  msisdn: string;
  brand: string;
  brandLabel: Bilingual;
  county: string;
  asOf: string;
  /** Services held now; never offered. */
  held: ReadonlySet<string>;
  /** Services cancelled in the last 30 days; not offered again so soon. */
  recentlyCancelled: ReadonlySet<string>;
  catalogue: ServiceCatalogue;
}

const OFFERS = 3;

export interface ModelOffers {
  /** The latest cross-sell model, if one is stored. */
  version: string | undefined;
  /** Its rules, strongest first. */
  rules: readonly StoredRule[];
  /** The customer's offer rows of every stored model (read with the customer's other rows). */
  rows: readonly OfferRow[];
}

export async function recommendOffers(
  reader: Warehouse | ClickHouseWarehouse,
  model: ModelOffers,
  context: OfferContext,
): Promise<Offer[]> {
  if (model.version) {
    const offers = modelOffers(context, model.version, model.rules, model.rows);
    if (offers.length > 0) return offers;
  }
  return fallbackOffers(reader, context);
}

function modelOffers(
  context: OfferContext,
  version: string,
  rules: readonly StoredRule[],
  rows: readonly OfferRow[],
): Offer[] {
  const open = rows
    .filter((r) => r.modelVersion === version)
    .sort((a, b) => a.offerRank - b.offerRank)
    .filter((r) => !context.held.has(r.serviceId) && !context.recentlyCancelled.has(r.serviceId));
  if (open.length === 0) return [];
  return open.slice(0, OFFERS).map((row, k) => {
    const rule = rules.find(
      (r) => r.rhs === row.serviceId && r.lhs.split(', ').every((item) => context.held.has(item)),
    );
    const service = serviceLabel(row.serviceId, context.catalogue);
    let reason: Bilingual;
    if (rule) {
      const items = rule.lhs.split(', ').map((id) => serviceLabel(id, context.catalogue));
      const share = Math.round(rule.confidence * 100);
      reason = {
        zh: `订有${items.map((i) => i.zh).join('和')}的客户中 ${share}% 也订了${service.zh}（提升度 ${rule.lift.toFixed(1)}）`,
        en: `${share} % of customers holding ${items.map((i) => i.en).join(' and ')} also take ${service.en} (lift ${rule.lift.toFixed(1)})`,
      };
    } else {
      const p = Math.round(row.propensity * 1000) / 10;
      reason = {
        zh: `模型预测订购可能性 ${p}%，高于同类客户`,
        en: `the model puts the chance of ordering at ${p} %`,
      };
    }
    return {
      rank: k + 1,
      serviceId: row.serviceId,
      label: service,
      monthlyFeeYuan: context.catalogue.get(row.serviceId)?.feeYuan ?? null,
      score: row.score,
      source: 'model',
      modelVersion: version,
      reason,
    };
  });
}

async function fallbackOffers(reader: Warehouse | ClickHouseWarehouse, context: OfferContext): Promise<Offer[]> {
  const peers =
    reader.engine === 'clickhouse'
      ? await peerHoldingsOnClickHouse(reader, context)
      : await peerHoldings(reader, context);
  return peers
    .filter((p) => !context.held.has(p.service_id) && !context.recentlyCancelled.has(p.service_id) && p.holders > 0)
    .slice(0, OFFERS)
    .map((p, k) => {
      const share = Math.round((100 * Number(p.holders)) / Number(p.base));
      return {
        rank: k + 1,
        serviceId: p.service_id,
        label: serviceLabel(p.service_id, context.catalogue),
        monthlyFeeYuan: context.catalogue.get(p.service_id)?.feeYuan ?? null,
        score: Number(p.holders) / Number(p.base),
        source: 'rules',
        modelVersion: null,
        reason: {
          zh: `${context.county}的${context.brandLabel.zh}客户中 ${share}% 订有此业务`,
          en: `${share} % of ${context.brandLabel.en} customers in ${context.county} hold it`,
        },
      };
    });
}

type PeerHolding = { service_id: string; holders: number; base: number };

async function peerHoldings(reader: Warehouse, context: OfferContext): Promise<PeerHolding[]> {
  return reader.allPrepared<PeerHolding>(
    `WITH base AS (
       SELECT sum(subscribers_active) AS base FROM agg_area_day WHERE day = CAST(? AS DATE) AND county = ? AND brand = ?)
     SELECT s.service_id, sum(s.holders) AS holders, any_value(b.base) AS base
     FROM agg_area_service_day s, base b
     WHERE s.day = CAST(? AS DATE) AND s.county = ? AND s.brand = ? AND b.base > 0
     GROUP BY s.service_id ORDER BY holders DESC, s.service_id`,
    [context.asOf, context.county, context.brand, context.asOf, context.county, context.brand],
  );
}

/** The same on ClickHouse (no CTEs on 18.16): the base first, then the holders per service. */
async function peerHoldingsOnClickHouse(cluster: ClickHouseWarehouse, context: OfferContext): Promise<PeerHolding[]> {
  const base = await cluster.scalar(
    'SELECT sum(subscribers_active) FROM agg_area_day WHERE day = toDate(?) AND county = ? AND brand = ?',
    [context.asOf, context.county, context.brand],
  );
  if (!(base > 0)) return [];
  const rows = await cluster.all<{ service_id: string; holders_n: string }>(
    `SELECT service_id, toString(sum(holders)) AS holders_n FROM agg_area_service_day
     WHERE day = toDate(?) AND county = ? AND brand = ? GROUP BY service_id ORDER BY sum(holders) DESC, service_id`,
    [context.asOf, context.county, context.brand],
  );
  return rows.map((r) => ({ service_id: r.service_id, holders: Number(r.holders_n), base }));
}
