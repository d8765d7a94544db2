// The tables KPIs read, each described once: its rows' day, the SQL of every dimension it can
// group or filter by, and its measures (already aggregated per day). A metric names measures of one
// or more sources; the compiler does the rest. All SQL here is fixed text written by us: user input
// only ever reaches a query as a parameter.
import { type AttributeDimension, ageBandSql, arpuBandSql, type TimeGrain, tenureBandSql } from './dimensions.ts';

export type SourceName =
  | 'area_day'
  | 'area_service_day'
  | 'channel_service_day'
  | 'subscriber_base'
  | 'subscriber_activity_day'
  | 'billing_month'
  | 'ivr_area_day'
  | 'cell_hour';

export interface FactSource {
  name: SourceName;
  /** FROM clause with the fact aliased `f` (and joins). */
  from: string;
  /** Joins added only when a requested or filtered dimension needs them (dimension -> join SQL). */
  joinsFor?: Partial<Record<AttributeDimension, string>>;
  /** SQL of the row's day (a DATE). */
  day: string;
  grains: readonly TimeGrain[];
  dims: Partial<Record<AttributeDimension, string>>;
  /** Per-day aggregate of each measure over the source's rows. */
  measures: Record<string, string>;
  /**
   * Rows exist only at period ends, built by joining the `calendar` CTE (the last loaded day of each
   * period) to a snapshot table; the compiler adds the calendar.
   */
  atPeriodEnds?: true;
}

const allGrains: readonly TimeGrain[] = ['day', 'week', 'month'];

/** Attributes of a subscriber `u` as of the SQL date `asOf`. */
function subscriberDims(asOf: string, feeExpr: string): Partial<Record<AttributeDimension, string>> {
  return {
    region: 'u.region',
    county: 'u.county',
    brand: 'u.brand',
    plan: 'u.plan_id',
    arpu_band: arpuBandSql(feeExpr),
    tenure_band: tenureBandSql('u.activated_on', asOf),
    age_band: ageBandSql('u.birth_year', asOf),
  };
}

/** A subscriber is counted on day d from activation until the day the account closed or was suspended
 * (the same rule the loader uses for agg_area_day.subscribers_active). */
export const subscriberOnDaySql = (day: string) =>
  `u.activated_on <= ${day} AND NOT (u.status IN ('closed', 'suspended') AND u.status_changed_on <= ${day})`;

/** A user is active on a day with any own usage (the loader's rule for agg_area_day.users_active). */
export const activeOnDaySql = '(f.sms_out + f.ivr_calls + f.wap_visits + f.vas_events) > 0';

/** Each subscriber's bill of the latest billed month (the ARPU band's base). */
const latestBill = `(SELECT msisdn, total_fee AS fee FROM billing WHERE month = (SELECT max(month) FROM billing))`;

export const factSources: Record<SourceName, FactSource> = {
  area_day: {
    name: 'area_day',
    from: 'agg_area_day f',
    day: 'f.day',
    grains: allGrains,
    dims: { region: 'f.region', county: 'f.county', brand: 'f.brand' },
    measures: {
      subscribers_active: 'sum(f.subscribers_active)',
      users_active: 'sum(f.users_active)',
      activations: 'sum(f.activations)',
      closures: 'sum(f.closures)',
    },
  },
  area_service_day: {
    name: 'area_service_day',
    from: 'agg_area_service_day f JOIN services s ON s.service_id = f.service_id',
    day: 'f.day',
    grains: allGrains,
    dims: {
      region: 'f.region',
      county: 'f.county',
      brand: 'f.brand',
      service: 'f.service_id',
      service_category: 's.category',
    },
    measures: {
      holders: 'sum(f.holders)',
      orders: 'sum(f.orders)',
      cancels: 'sum(f.cancels)',
      trial_orders: 'sum(f.trial_orders)',
      unconfirmed_orders: 'sum(f.unconfirmed_orders)',
      service_users_active: 'sum(f.users_active)',
      usage_events: 'sum(f.usage_events)',
    },
  },
  channel_service_day: {
    name: 'channel_service_day',
    from: 'agg_channel_service_day f JOIN services s ON s.service_id = f.service_id',
    day: 'f.day',
    grains: allGrains,
    dims: {
      channel: 'f.channel',
      service: 'f.service_id',
      service_category: 's.category',
      county: 'f.county',
      brand: 'f.brand',
    },
    measures: {
      orders: 'sum(f.orders)',
      cancels: 'sum(f.cancels)',
      unconfirmed_orders: 'sum(f.unconfirmed_orders)',
    },
  },
  subscriber_base: {
    name: 'subscriber_base',
    from: `calendar c JOIN subscribers u ON ${subscriberOnDaySql('c.day')}`,
    joinsFor: { arpu_band: `LEFT JOIN ${latestBill} b ON b.msisdn = u.msisdn` },
    day: 'c.day',
    grains: allGrains,
    dims: subscriberDims('c.day', 'b.fee'),
    measures: { subscribers_active: 'count(*)' },
    atPeriodEnds: true,
  },
  subscriber_activity_day: {
    name: 'subscriber_activity_day',
    // Only the active rows go into the join with the subscribers.
    from: `(SELECT day, msisdn FROM agg_subscriber_day f WHERE ${activeOnDaySql}) f JOIN subscribers u ON u.msisdn = f.msisdn`,
    joinsFor: { arpu_band: `LEFT JOIN ${latestBill} b ON b.msisdn = u.msisdn` },
    day: 'f.day',
    grains: allGrains,
    dims: subscriberDims('f.day', 'b.fee'),
    measures: {
      users_active: 'count(*)',
    },
  },
  billing_month: {
    name: 'billing_month',
    from: 'billing f',
    // Company-wide revenue and ARPU read the bills alone; the subscriber join only for its dimensions.
    joinsFor: Object.fromEntries(
      (['region', 'county', 'brand', 'plan', 'tenure_band', 'age_band'] as const).map((d) => [
        d,
        'JOIN subscribers u ON u.msisdn = f.msisdn',
      ]),
    ),
    day: 'f.month',
    grains: ['month'],
    dims: subscriberDims('last_day(f.month)', 'f.total_fee'),
    measures: {
      revenue: 'sum(f.total_fee)',
      vas_revenue: 'sum(f.vas_fee)',
      billed_subscribers: 'count(*)',
    },
  },
  ivr_area_day: {
    name: 'ivr_area_day',
    from: 'agg_ivr_area_day f',
    day: 'f.day',
    grains: allGrains,
    dims: { region: 'f.region', county: 'f.county', brand: 'f.brand', access_code: 'f.access_code' },
    measures: { ivr_calls: 'sum(f.calls)', ivr_callers: 'sum(f.callers)', ivr_seconds: 'sum(f.seconds)' },
  },
  cell_hour: {
    name: 'cell_hour',
    from: 'agg_cell_hour f JOIN cells c ON c.cell_id = f.cell_id',
    day: 'f.day',
    grains: allGrains,
    dims: { region: 'c.region', county: 'c.county', area_type: 'c.area_type' },
    measures: {
      signalling_events: 'sum(f.events)',
      calls_114: 'sum(f.calls_114)',
      calls_12580: 'sum(f.calls_12580)',
    },
  },
};
