// The one catalogue of configuration keys (after cube-js): defaults, then a JSON file, then the
// environment, then command-line flags. Nothing else reads process.env.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/** How a source of messages is treated: marketing obeys the whole contact policy, alerts and service messages do not. */
const sourceSchema = z.object({
  kind: z.enum(['marketing', 'alert', 'service']),
  /** Resend a message whose submission had no answer when the sender died or the link dropped. */
  resendUnknown: z.boolean(),
});

/** Outbound channels and the one contact policy (see src/channels/). */
const channelsSchema = z.object({
  /** Derived from the top-level `utcOffsetMinutes` (setting it here is deprecated). */
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  policy: z.object({
    /** Marketing messages per subscriber across every source; 0 means no cap. */
    capPerDay: z.number().int().min(0),
    capPerWeek: z.number().int().min(0),
    capPerMonth: z.number().int().min(0),
    /** Marketing messages per channel per day; 0 means no limit. */
    capacityPerDay: z.object({ sms: z.number().int().min(0), email: z.number().int().min(0) }),
    /** Share of subscribers marketing never contacts (stable by hash), to measure all marketing's effect. */
    controlGroupShare: z.number().min(0).max(0.5),
    /** No marketing between `from` and `to` local time (may span midnight); 'off' to allow any hour. */
    quietHours: z.union([z.literal('off'), z.object({ from: clockTime, to: clockTime })]),
    /** The same text to the same subscriber within this many days is a duplicate. */
    duplicateWindowDays: z.number().int().min(0),
    /** Marketing that cannot go out within this many hours of queueing expires. */
    expiryHours: z.number().min(0),
    /** MO texts (trimmed, case-insensitive) that opt the sender out at once. */
    optOutWords: z.array(z.string().min(1)),
    /** The one confirmation sent after an opt-out. */
    optOutConfirmation: z.string().min(1),
  }),
  /** Per source of messages (trigger, campaign, adhoc, alert, system); unknown sources are marketing. */
  sources: z.record(z.string(), sourceSchema),
  sms: z.object({
    sourceAddress: z.string().min(1),
    systemType: z.string(),
    addressRange: z.string(),
    /** One transceiver bind, or a transmitter and a receiver bind. */
    bind: z.enum(['transceiver', 'transmitter+receiver']),
    registeredDelivery: z.boolean(),
    /** submit_sm per second. */
    tps: z.number().positive(),
    /** Outstanding submit_sm without a response. */
    window: z.number().int().min(1).max(1000),
    enquireLinkSec: z.number().positive(),
    responseTimeoutSec: z.number().positive(),
    /** A message is failed after this many temporary errors. */
    maxAttempts: z.number().int().min(1),
    /** `--once` stops waiting for receipts after this long. */
    receiptWaitSec: z.number().min(0),
  }),
  email: z.object({ from: z.string().min(1), subject: z.string().min(1) }),
});

const utcOffset = z.number().int().min(-720).max(840);

export const configSchema = z.object({
  /** The DuckDB warehouse file. */
  db: z.string().min(1),
  /**
   * A ClickHouse cluster instead of the DuckDB file: `clickhouse://host:port,host:port/db` (each shard's
   * HTTP port, shard 1 first). Absent: the DuckDB file. Only some commands run there (docs/scale-out.md).
   */
  warehouse: z
    .string()
    .regex(/^clickhouse:\/\/[^/]+\/\w+$/i, 'must look like clickhouse://HOST:PORT[,HOST:PORT…]/DATABASE')
    .optional(),
  /**
   * The operator's local time as minutes east of UTC (China: 480), the one key for the stream and the
   * channels: event times without a zone are local wall time; days, quiet hours and caps count in it.
   */
  utcOffsetMinutes: utcOffset,
  /** Where `telmark demo` writes the demo operator's feeds. */
  demoDir: z.string().min(1),
  http: z.object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    /** Extra Host names the server answers to (besides localhost and the address it listens on). */
    allowedHosts: z.array(z.string().min(1)),
    /** Browser origins allowed to call the API (CORS); none by default. */
    corsOrigins: z.array(z.string().url()),
    /** PEM files: with both, the server speaks HTTPS. */
    tlsKey: z.string().min(1).optional(),
    tlsCert: z.string().min(1).optional(),
  }),
  /** DuckDB worker threads; 0 lets DuckDB decide. */
  threads: z.number().int().min(0),
  /** DuckDB memory limit, e.g. "8GB". */
  memoryLimit: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  stream: z.object({
    /**
     * Events further than this from the stream's clock, ahead or behind, are rejected (seconds; 0 turns
     * the check off, e.g. to replay recorded days). Six hours keeps a backlog after a night's outage
     * and stops misdated events (1970, 2099, a wrong day) from making decisions.
     */
    maxSkewSec: z.number().int().min(0),
    /** Derived from the top-level `utcOffsetMinutes` (setting it here is deprecated). */
    utcOffsetMinutes: z.number().int().min(-720).max(840),
  }),
  load: z.object({
    /**
     * Days a row of a daily file may be dated outside the file's day and still load (on its own
     * date); further out it is quarantined. Fractions are allowed (0.5 = twelve hours).
     */
    periodToleranceDays: z.number().min(0).max(31),
  }),
  channels: channelsSchema,
  alerts: z.object({
    /**
     * How often `telmark serve` routes alerts on its own (seconds; 0 turns the timer off): new anomalies
     * go out, repeats and escalations fall due, silences lapse, and SMS replies acknowledge.
     */
    routeEverySec: z.number().int().min(0),
    /**
     * Replies to an alert SMS that acknowledge it (trimmed, case-insensitive). "ACK CODE" with the
     * alert's code works as well, from any number.
     */
    ackWords: z.array(z.string().min(1)).min(1),
  }),
});

export type Config = z.infer<typeof configSchema>;
export type ChannelsConfig = Config['channels'];

export const defaultConfig: Config = {
  db: 'telmark.duckdb',
  utcOffsetMinutes: 480,
  demoDir: 'demo-data',
  http: { host: '127.0.0.1', port: 8080, allowedHosts: [], corsOrigins: [] },
  threads: 0,
  memoryLimit: '8GB',
  logLevel: 'info',
  stream: { maxSkewSec: 6 * 3600, utcOffsetMinutes: 480 },
  load: { periodToleranceDays: 1 },
  channels: {
    utcOffsetMinutes: 480,
    policy: {
      capPerDay: 1,
      capPerWeek: 3,
      capPerMonth: 8,
      capacityPerDay: { sms: 1_000_000, email: 1_000_000 },
      controlGroupShare: 0.02,
      quietHours: { from: '21:00', to: '08:00' },
      duplicateWindowDays: 30,
      expiryHours: 48,
      optOutWords: ['TD', '退订', 'T', '0000'],
      optOutConfirmation: '您已退订营销短信，将不再收到此类信息。You will receive no more marketing messages.',
    },
    sources: {
      trigger: { kind: 'marketing', resendUnknown: false },
      campaign: { kind: 'marketing', resendUnknown: false },
      adhoc: { kind: 'marketing', resendUnknown: false },
      alert: { kind: 'alert', resendUnknown: true },
      system: { kind: 'service', resendUnknown: true },
    },
    sms: {
      sourceAddress: '10658000',
      systemType: '',
      addressRange: '',
      bind: 'transceiver',
      registeredDelivery: true,
      tps: 100,
      window: 10,
      enquireLinkSec: 30,
      responseTimeoutSec: 10,
      maxAttempts: 5,
      receiptWaitSec: 30,
    },
    email: { from: 'Telmark <noreply@telmark.local>', subject: 'Telmark' },
  },
  alerts: { routeEverySec: 60, ackWords: ['ACK', 'OK', '确认', '收到'] },
};

/** Environment variables understood by Telmark, each mapped to one key. */
const environmentKeys: Record<string, (config: Config, value: string) => void> = {
  TELMARK_DB: (c, v) => {
    c.db = v;
  },
  TELMARK_WAREHOUSE: (c, v) => {
    c.warehouse = v;
  },
  TELMARK_DEMO_DIR: (c, v) => {
    c.demoDir = v;
  },
  TELMARK_HOST: (c, v) => {
    c.http.host = v;
  },
  TELMARK_PORT: (c, v) => {
    c.http.port = Number(v);
  },
  TELMARK_ALLOWED_HOSTS: (c, v) => {
    c.http.allowedHosts = v.split(',').map((h) => h.trim());
  },
  TELMARK_CORS_ORIGINS: (c, v) => {
    c.http.corsOrigins = v.split(',').map((h) => h.trim());
  },
  TELMARK_TLS_KEY: (c, v) => {
    c.http.tlsKey = v;
  },
  TELMARK_TLS_CERT: (c, v) => {
    c.http.tlsCert = v;
  },
  TELMARK_THREADS: (c, v) => {
    c.threads = Number(v);
  },
  TELMARK_MEMORY_LIMIT: (c, v) => {
    c.memoryLimit = v;
  },
  TELMARK_LOG_LEVEL: (c, v) => {
    c.logLevel = v as Config['logLevel'];
  },
  TELMARK_STREAM_MAX_SKEW_SEC: (c, v) => {
    c.stream.maxSkewSec = Number(v);
  },
  /** Deprecated: TELMARK_UTC_OFFSET_MINUTES (see resolveUtcOffset). */
  TELMARK_STREAM_UTC_OFFSET_MINUTES: (c, v) => {
    c.stream.utcOffsetMinutes = Number(v);
  },
  TELMARK_PERIOD_TOLERANCE_DAYS: (c, v) => {
    c.load.periodToleranceDays = Number(v);
  },
  /** `off`, or `21:00-08:00`. */
  TELMARK_QUIET_HOURS: (c, v) => {
    const [from, to] = v.split('-');
    c.channels.policy.quietHours = v === 'off' ? 'off' : { from: from ?? '', to: to ?? '' };
  },
  TELMARK_CONTROL_GROUP: (c, v) => {
    c.channels.policy.controlGroupShare = Number(v);
  },
  TELMARK_CAP_PER_DAY: (c, v) => {
    c.channels.policy.capPerDay = Number(v);
  },
  TELMARK_CAP_PER_WEEK: (c, v) => {
    c.channels.policy.capPerWeek = Number(v);
  },
  TELMARK_CAP_PER_MONTH: (c, v) => {
    c.channels.policy.capPerMonth = Number(v);
  },
  TELMARK_OPT_OUT_WORDS: (c, v) => {
    c.channels.policy.optOutWords = v.split(',').map((w) => w.trim());
  },
  TELMARK_UTC_OFFSET_MINUTES: (c, v) => {
    c.utcOffsetMinutes = Number(v);
  },
  TELMARK_SMS_SOURCE: (c, v) => {
    c.channels.sms.sourceAddress = v;
  },
  TELMARK_SMS_TPS: (c, v) => {
    c.channels.sms.tps = Number(v);
  },
  TELMARK_SMS_WINDOW: (c, v) => {
    c.channels.sms.window = Number(v);
  },
  TELMARK_EMAIL_FROM: (c, v) => {
    c.channels.email.from = v;
  },
  TELMARK_ALERT_ROUTE_EVERY_SEC: (c, v) => {
    c.alerts.routeEverySec = Number(v);
  },
  /** Comma-separated, e.g. `ACK,确认`. */
  TELMARK_ALERT_ACK_WORDS: (c, v) => {
    c.alerts.ackWords = v.split(',').map((w) => w.trim());
  },
};

export interface ConfigSources {
  file?: string;
  env?: Record<string, string | undefined>;
  flags?: Partial<{ db: string; warehouse: string; port: number; host: string; periodToleranceDays: number }>;
  /** Told about deprecated keys still in use (the CLI prints it on stderr). */
  onWarning?: (text: string) => void;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const config: Config = structuredClone(defaultConfig);
  const env = sources.env ?? process.env;
  const file =
    sources.file ?? env.TELMARK_CONFIG ?? (existsSync('telmark.config.json') ? 'telmark.config.json' : undefined);
  const fromFile = file ? mergeFile(config, resolve(file)) : {};
  for (const [key, apply] of Object.entries(environmentKeys)) {
    const value = env[key];
    if (value !== undefined && value !== '') apply(config, value);
  }
  resolveUtcOffset(config, fromFile, env, sources.onWarning ?? (() => undefined), file);
  if (sources.flags?.db) config.db = sources.flags.db;
  if (sources.flags?.warehouse) config.warehouse = sources.flags.warehouse;
  if (sources.flags?.port !== undefined) config.http.port = sources.flags.port;
  if (sources.flags?.host) config.http.host = sources.flags.host;
  if (sources.flags?.periodToleranceDays !== undefined)
    config.load.periodToleranceDays = sources.flags.periodToleranceDays;
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', problems, { location: file ? { file } : {} });
  }
  return parsed.data;
}

/**
 * One key for the local time, `utcOffsetMinutes`. The two it replaces (`stream.utcOffsetMinutes`,
 * `channels.utcOffsetMinutes`, and TELMARK_STREAM_UTC_OFFSET_MINUTES) still work alone, with a warning;
 * beside a different value of the new key, or of each other, they are refused naming the new key. The
 * old places are then filled from the one value, so every reader agrees.
 */
function resolveUtcOffset(
  config: Config,
  fromFile: Record<string, unknown>,
  env: Record<string, string | undefined>,
  warn: (text: string) => void,
  file: string | undefined,
): void {
  const section = (name: string) => (fromFile[name] ?? {}) as Record<string, unknown>;
  const given = (value: unknown) => value !== undefined && value !== '';
  const newKeyGiven = given(fromFile.utcOffsetMinutes) || given(env.TELMARK_UTC_OFFSET_MINUTES);
  const old: { key: string; value: number }[] = [];
  if (given(section('stream').utcOffsetMinutes) || given(env.TELMARK_STREAM_UTC_OFFSET_MINUTES))
    old.push({
      key: given(env.TELMARK_STREAM_UTC_OFFSET_MINUTES)
        ? 'TELMARK_STREAM_UTC_OFFSET_MINUTES'
        : 'stream.utcOffsetMinutes',
      value: config.stream.utcOffsetMinutes,
    });
  if (given(section('channels').utcOffsetMinutes))
    old.push({ key: 'channels.utcOffsetMinutes', value: config.channels.utcOffsetMinutes });
  const fix = 'set the one key `utcOffsetMinutes` (or TELMARK_UTC_OFFSET_MINUTES) and remove the old ones';
  for (const o of old) {
    const against = newKeyGiven ? config.utcOffsetMinutes : old[0]!.value;
    if (o.value !== against)
      throw new AppError(
        'CONFIG_INVALID',
        `${o.key} (${o.value}) disagrees with ${newKeyGiven ? 'utcOffsetMinutes' : old[0]!.key} (${against})`,
        { location: { ...(file ? { file } : {}), field: 'utcOffsetMinutes' }, hint: fix },
      );
    warn(`telmark: ${o.key} is deprecated: ${fix}`);
  }
  if (!newKeyGiven && old.length > 0) config.utcOffsetMinutes = old[0]!.value;
  config.stream.utcOffsetMinutes = config.utcOffsetMinutes;
  config.channels.utcOffsetMinutes = config.utcOffsetMinutes;
}

function mergeFile(config: Config, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `cannot read configuration: ${(error as Error).message}`, {
      location: { file },
      cause: error,
    });
  }
  // `channels` is deep: merged key by key onto the defaults, then checked whole by loadConfig.
  const { channels, ...rest } = (data ?? {}) as Record<string, unknown>;
  if (channels !== undefined) config.channels = deepMerge(config.channels, channels) as Config['channels'];
  const partial = configSchema
    .omit({ channels: true })
    .extend({
      http: configSchema.shape.http.partial(),
      stream: configSchema.shape.stream.partial().strict(),
      load: configSchema.shape.load.partial(),
      alerts: configSchema.shape.alerts.partial().strict(),
    })
    .partial()
    .strict()
    .safeParse(rest);
  if (!partial.success) {
    const problems = partial.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', problems, { location: { file } });
  }
  Object.assign(config, {
    ...partial.data,
    http: { ...config.http, ...(partial.data.http ?? {}) },
    stream: { ...config.stream, ...(partial.data.stream ?? {}) },
    load: { ...config.load, ...(partial.data.load ?? {}) },
    alerts: { ...config.alerts, ...(partial.data.alerts ?? {}) },
  });
  return (data ?? {}) as Record<string, unknown>;
}

function deepMerge(base: unknown, over: unknown): unknown {
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isPlain(base) || !isPlain(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}
