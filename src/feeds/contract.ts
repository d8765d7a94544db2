// The feed contract of DESIGN.md as data: every feed, its kind and its fields. The generator writes
// from it, the loader compiles it into validating SQL, and the docs quote it, so the three never drift.

export type FeedKind = 'snapshot' | 'daily' | 'monthly';

export type FieldType =
  | { kind: 'text'; maxLength?: number }
  | { kind: 'msisdn' }
  | { kind: 'digits' } // a dialled number: 114, 12580, 1065…, another operator's subscriber
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'money' }
  | { kind: 'float'; min?: number; max?: number }
  | { kind: 'date' }
  | { kind: 'month' }
  | { kind: 'timestamp'; millis?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'flag' };

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** "may be empty" in the contract. */
  optional?: boolean;
  /** Another feed whose key this field must name, e.g. `services.service_id`. */
  references?: { feed: FeedName; field: string };
}

export interface FeedSpec {
  name: FeedName;
  kind: FeedKind;
  fields: readonly FieldSpec[];
  /** Fields that identify a row of a snapshot; a duplicate key is quarantined. */
  key?: readonly string[];
  /** Column holding the event time or date, used to tell which days a file touches. */
  timeField?: string;
}

export const feedNames = [
  'cells',
  'plans',
  'services',
  'subscribers',
  'subscriptions',
  'orders',
  'billing',
  'sms',
  'wap',
  'ivr',
  'crbt',
  'web',
  'signalling',
] as const;
export type FeedName = (typeof feedNames)[number];

export const brands = ['gotone', 'easyown', 'mzone', 'other'] as const;
export const areaTypes = [
  'station',
  'campus',
  'office',
  'commercial',
  'residential',
  'scenic',
  'rural',
  'other',
] as const;
export const serviceCategories = [
  'crbt',
  'news',
  'directory',
  'music',
  'game',
  'video',
  'im',
  'portal',
  'other',
] as const;
export const orderChannels = ['sms', 'ivr', 'wap', 'web', 'counter', 'hotline', 'campaign', 'bundle', 'auto'] as const;
export const signallingEvents = [
  'call_out',
  'call_in',
  'sms_out',
  'sms_in',
  'location_update',
  'attach',
  'detach',
] as const;

const msisdnOfSubscriber: FieldSpec = {
  name: 'msisdn',
  type: { kind: 'msisdn' },
  references: { feed: 'subscribers', field: 'msisdn' },
};
const serviceRef = (optional = false): FieldSpec => ({
  name: 'service_id',
  type: { kind: 'text', maxLength: 32 },
  optional,
  references: { feed: 'services', field: 'service_id' },
});
const ts: FieldSpec = { name: 'ts', type: { kind: 'timestamp' } };

export const feeds: Record<FeedName, FeedSpec> = {
  cells: {
    name: 'cells',
    kind: 'snapshot',
    key: ['cell_id'],
    fields: [
      { name: 'cell_id', type: { kind: 'text', maxLength: 32 } },
      { name: 'lac', type: { kind: 'int', min: 0, max: 65535 } },
      { name: 'ci', type: { kind: 'int', min: 0, max: 268435455 } },
      { name: 'name', type: { kind: 'text' } },
      { name: 'lat', type: { kind: 'float', min: -90, max: 90 } },
      { name: 'lon', type: { kind: 'float', min: -180, max: 180 } },
      { name: 'region', type: { kind: 'text' } },
      { name: 'county', type: { kind: 'text' } },
      { name: 'area_type', type: { kind: 'enum', values: areaTypes } },
    ],
  },
  plans: {
    name: 'plans',
    kind: 'snapshot',
    key: ['plan_id'],
    fields: [
      { name: 'plan_id', type: { kind: 'text', maxLength: 32 } },
      { name: 'name', type: { kind: 'text' } },
      { name: 'brand', type: { kind: 'enum', values: brands } },
      { name: 'monthly_fee', type: { kind: 'money' } },
      { name: 'voice_minutes', type: { kind: 'int', min: 0 } },
      { name: 'sms', type: { kind: 'int', min: 0 } },
      { name: 'data_mb', type: { kind: 'int', min: 0 } },
    ],
  },
  services: {
    name: 'services',
    kind: 'snapshot',
    key: ['service_id'],
    fields: [
      { name: 'service_id', type: { kind: 'text', maxLength: 32 } },
      { name: 'name', type: { kind: 'text' } },
      { name: 'category', type: { kind: 'enum', values: serviceCategories } },
      { name: 'monthly_fee', type: { kind: 'money' } },
      { name: 'trial_months', type: { kind: 'int', min: 0, max: 24 } },
    ],
  },
  subscribers: {
    name: 'subscribers',
    kind: 'snapshot',
    key: ['msisdn'],
    fields: [
      { name: 'msisdn', type: { kind: 'msisdn' } },
      { name: 'brand', type: { kind: 'enum', values: brands } },
      { name: 'region', type: { kind: 'text' } },
      { name: 'county', type: { kind: 'text' } },
      { name: 'plan_id', type: { kind: 'text', maxLength: 32 }, references: { feed: 'plans', field: 'plan_id' } },
      { name: 'activated_on', type: { kind: 'date' } },
      { name: 'birth_year', type: { kind: 'int', min: 1900, max: 2100 } },
      { name: 'gender', type: { kind: 'enum', values: ['M', 'F', 'U'] } },
      { name: 'status', type: { kind: 'enum', values: ['active', 'suspended', 'closed'] } },
      { name: 'status_changed_on', type: { kind: 'date' } },
    ],
  },
  // Not in DESIGN.md's first table: BOSS's subscription relation (用户订购关系) as it stood when the
  // daily feeds begin. Without an opening balance, holders and penetration could only count orders
  // placed inside the loaded window.
  subscriptions: {
    name: 'subscriptions',
    kind: 'snapshot',
    key: ['msisdn', 'service_id'],
    fields: [
      msisdnOfSubscriber,
      serviceRef(),
      { name: 'subscribed_on', type: { kind: 'date' } },
      { name: 'channel', type: { kind: 'enum', values: orderChannels } },
      { name: 'trial', type: { kind: 'flag' } },
    ],
  },
  orders: {
    name: 'orders',
    kind: 'daily',
    key: ['order_id'],
    timeField: 'ts',
    fields: [
      { name: 'order_id', type: { kind: 'text', maxLength: 64 } },
      ts,
      msisdnOfSubscriber,
      serviceRef(),
      { name: 'action', type: { kind: 'enum', values: ['subscribe', 'unsubscribe'] } },
      { name: 'channel', type: { kind: 'enum', values: orderChannels } },
      { name: 'trial', type: { kind: 'flag' } },
      { name: 'confirmed', type: { kind: 'flag' } },
      { name: 'campaign_id', type: { kind: 'text', maxLength: 64 }, optional: true },
    ],
  },
  billing: {
    name: 'billing',
    kind: 'monthly',
    key: ['msisdn', 'month'],
    timeField: 'month',
    fields: [
      msisdnOfSubscriber,
      { name: 'month', type: { kind: 'month' } },
      { name: 'total_fee', type: { kind: 'money' } },
      { name: 'voice_fee', type: { kind: 'money' } },
      { name: 'sms_fee', type: { kind: 'money' } },
      { name: 'data_fee', type: { kind: 'money' } },
      { name: 'vas_fee', type: { kind: 'money' } },
    ],
  },
  sms: {
    name: 'sms',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      ts,
      msisdnOfSubscriber,
      { name: 'peer', type: { kind: 'digits' } },
      { name: 'kind', type: { kind: 'enum', values: ['p2p_mo', 'p2p_mt', 'sp_mt', 'sp_mo'] } },
      serviceRef(true),
      { name: 'forwarded', type: { kind: 'flag' } },
    ],
  },
  wap: {
    name: 'wap',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      ts,
      msisdnOfSubscriber,
      { name: 'host', type: { kind: 'text', maxLength: 255 } },
      serviceRef(true),
      { name: 'bytes', type: { kind: 'int', min: 0 } },
    ],
  },
  ivr: {
    name: 'ivr',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      ts,
      msisdnOfSubscriber,
      { name: 'access_code', type: { kind: 'digits' } },
      { name: 'duration_s', type: { kind: 'int', min: 0, max: 86400 } },
      { name: 'menu', type: { kind: 'text', maxLength: 128 }, optional: true },
    ],
  },
  crbt: {
    name: 'crbt',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      ts,
      msisdnOfSubscriber,
      { name: 'action', type: { kind: 'enum', values: ['set', 'change', 'download'] } },
      { name: 'tone_id', type: { kind: 'text', maxLength: 64 } },
    ],
  },
  web: {
    name: 'web',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      ts,
      msisdnOfSubscriber,
      { name: 'path', type: { kind: 'text', maxLength: 512 } },
      { name: 'action', type: { kind: 'text', maxLength: 64 } },
    ],
  },
  signalling: {
    name: 'signalling',
    kind: 'daily',
    timeField: 'ts',
    fields: [
      { name: 'ts', type: { kind: 'timestamp', millis: true } },
      // Visitors roaming in are signalled too, so the number is checked for shape, not membership.
      { name: 'msisdn', type: { kind: 'msisdn' } },
      { name: 'event', type: { kind: 'enum', values: signallingEvents } },
      {
        name: 'cell_id',
        type: { kind: 'text', maxLength: 32 },
        references: { feed: 'cells', field: 'cell_id' },
      },
      { name: 'peer', type: { kind: 'digits' }, optional: true },
      { name: 'duration_s', type: { kind: 'int', min: 0, max: 86400 } },
    ],
  },
};

/** The order snapshots must load in, so that references resolve. */
export const loadOrder: readonly FeedName[] = feedNames;

export function isFeedName(name: string): name is FeedName {
  return (feedNames as readonly string[]).includes(name);
}

const FILE_PATTERN = /^([a-z]+)(?:_(\d{6}|\d{8}))?\.csv(\.gz)?$/;

export interface FeedFileName {
  feed: FeedName;
  /** YYYYMMDD for daily feeds, YYYYMM for monthly ones, absent for snapshots. */
  period?: string;
  gzip: boolean;
}

/** Parses `orders_20260301.csv.gz` into its parts, or explains why the name breaks the contract. */
export function parseFeedFileName(fileName: string): FeedFileName | { error: string; badDate?: true } {
  const match = FILE_PATTERN.exec(fileName);
  if (!match) return { error: 'name must be <feed>.csv, <feed>_YYYYMMDD.csv or <feed>_YYYYMM.csv, optionally .gz' };
  const [, feedName, period, gz] = match;
  if (!isFeedName(feedName!)) return { error: `unknown feed "${feedName}" (known: ${feedNames.join(', ')})` };
  const spec = feeds[feedName];
  if (spec.kind === 'snapshot' && period) return { error: `${feedName} is a snapshot and takes no date in its name` };
  if (spec.kind === 'daily' && period?.length !== 8)
    return { error: `${feedName} is daily: name it ${feedName}_YYYYMMDD.csv` };
  if (spec.kind === 'monthly' && period?.length !== 6)
    return { error: `${feedName} is monthly: name it ${feedName}_YYYYMM.csv` };
  const impossible = period ? impossibleDate(period) : undefined;
  if (impossible) return { error: `the date ${period} in the name is impossible: ${impossible}`, badDate: true };
  return { feed: feedName, ...(period ? { period } : {}), gzip: gz !== undefined };
}

/** Why YYYYMMDD or YYYYMM names no real day or month, or undefined when it does. */
function impossibleDate(period: string): string | undefined {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(4, 6));
  if (year < 1900 || year > 2100) return `year ${year} is out of range (1900-2100)`;
  if (month < 1 || month > 12) return `month ${period.slice(4, 6)} does not exist`;
  if (period.length === 6) return undefined;
  const day = Number(period.slice(6, 8));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${period.slice(0, 4)}-${period.slice(4, 6)} has no day ${period.slice(6, 8)}`;
  return undefined;
}
