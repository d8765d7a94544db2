// The tables KPIs read, each described once: its rows' day, the SQL of every dimension it can
// group or filter by, and its measures (already aggregated per day). A metric names measures of one
// or more sources; the compiler does the rest. All SQL here is fixed text written by us: user input
// only ever reaches a query as a parameter.
import type { AttributeDimension, TimeGrain } from './dimensions.ts';

export type SourceName =
  | 'area_day'
  | 'area_service_day'
  | 'channel_service_day'
  | 'segment_day'
  | 'billing_month'
  | 'ivr_area_day'
  | 'cell_hour'
  | 'sms_area_day';

export interface FactSource {
  name: SourceName;
  /** FROM clause with the fact aliased `f` (and joins). */
  from: string;
  /** SQL of the row's day (a DATE). */
  day: string;
  grains: readonly TimeGrain[];
  dims: Partial<Record<AttributeDimension, string>>;
  /** Per-day aggregate of each measure over the source's rows. */
  measures: Record<string, string>;
}

const allGrains: readonly TimeGrain[] = ['day', 'week', 'month'];

/** The segment columns of the loader's per-segment aggregates (fact aliased `f`). */
const segmentDims: Partial<Record<AttributeDimension, string>> = {
  region: 'f.region',
  county: 'f.county',
  brand: 'f.brand',
  plan: 'f.plan_id',
  arpu_band: 'f.arpu_band',
  tenure_band: 'f.tenure_band',
  age_band: 'f.age_band',
};

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
      plan: 'f.plan_id',
      service: 'f.service_id',
      service_category: 's.category',
    },
    measures: {
      holders: 'sum(f.holders)',
      paying_holders: 'sum(f.paying_holders)',
      orders: 'sum(f.orders)',
      cancels: 'sum(f.cancels)',
      trial_orders: 'sum(f.trial_orders)',
      unconfirmed_orders: 'sum(f.unconfirmed_orders)',
      service_users_active: 'sum(f.users_active)',
      usage_events: 'sum(f.usage_events)',
      sms_mt: 'sum(f.sms_mt)',
      sms_forwards: 'sum(f.sms_forwards)',
      wap_visits: 'sum(f.wap_visits)',
      ivr_calls: 'sum(f.ivr_calls)',
      crbt_changes: 'sum(f.crbt_changes)',
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
  segment_day: {
    name: 'segment_day',
    from: 'agg_segment_day f',
    day: 'f.day',
    grains: allGrains,
    dims: segmentDims,
    measures: {
      subscribers_active: 'sum(f.subscribers_active)',
      users_active: 'sum(f.users_active)',
    },
  },
  billing_month: {
    name: 'billing_month',
    from: 'agg_billing_segment_month f',
    day: 'f.month',
    grains: ['month'],
    dims: segmentDims,
    measures: {
      revenue: 'sum(f.revenue)',
      vas_revenue: 'sum(f.vas_fee)',
      billed_subscribers: 'sum(f.billed_subscribers)',
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
  sms_area_day: {
    name: 'sms_area_day',
    from: 'agg_sms_area_day f',
    day: 'f.day',
    grains: allGrains,
    dims: { region: 'f.region', county: 'f.county', brand: 'f.brand' },
    measures: {
      p2p_sent: 'sum(f.p2p_sent)',
      p2p_received: 'sum(f.p2p_received)',
      p2p_forwards: 'sum(f.p2p_forwards)',
    },
  },
};
