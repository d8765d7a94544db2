// The one catalogue of configuration keys (after cube-js): defaults, then a JSON file, then the
// environment, then command-line flags. Nothing else reads process.env.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

export const configSchema = z.object({
  /** The DuckDB warehouse file. */
  db: z.string().min(1),
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
    /**
     * The operator's local time as minutes east of UTC (China: 480). Event times without a zone are
     * local wall time; a time with `Z` or an offset is converted to it; the Clock's UTC is read in it.
     */
    utcOffsetMinutes: z.number().int().min(-720).max(840),
  }),
  load: z.object({
    /**
     * Days a row of a daily file may be dated outside the file's day and still load (on its own
     * date); further out it is quarantined. Fractions are allowed (0.5 = twelve hours).
     */
    periodToleranceDays: z.number().min(0).max(31),
  }),
});

export type Config = z.infer<typeof configSchema>;

export const defaultConfig: Config = {
  db: 'telmark.duckdb',
  demoDir: 'demo-data',
  http: { host: '127.0.0.1', port: 8080, allowedHosts: [], corsOrigins: [] },
  threads: 0,
  memoryLimit: '8GB',
  logLevel: 'info',
  stream: { maxSkewSec: 6 * 3600, utcOffsetMinutes: 480 },
  load: { periodToleranceDays: 1 },
};

/** Environment variables understood by Telmark, each mapped to one key. */
const environmentKeys: Record<string, (config: Config, value: string) => void> = {
  TELMARK_DB: (c, v) => {
    c.db = v;
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
  TELMARK_STREAM_UTC_OFFSET_MINUTES: (c, v) => {
    c.stream.utcOffsetMinutes = Number(v);
  },
  TELMARK_PERIOD_TOLERANCE_DAYS: (c, v) => {
    c.load.periodToleranceDays = Number(v);
  },
};

export interface ConfigSources {
  file?: string;
  env?: Record<string, string | undefined>;
  flags?: Partial<{ db: string; port: number; host: string; periodToleranceDays: number }>;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const config: Config = structuredClone(defaultConfig);
  const env = sources.env ?? process.env;
  const file =
    sources.file ?? env.TELMARK_CONFIG ?? (existsSync('telmark.config.json') ? 'telmark.config.json' : undefined);
  if (file) mergeFile(config, resolve(file));
  for (const [key, apply] of Object.entries(environmentKeys)) {
    const value = env[key];
    if (value !== undefined && value !== '') apply(config, value);
  }
  if (sources.flags?.db) config.db = sources.flags.db;
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

function mergeFile(config: Config, file: string): void {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `cannot read configuration: ${(error as Error).message}`, {
      location: { file },
      cause: error,
    });
  }
  const partial = configSchema
    .extend({
      http: configSchema.shape.http.partial(),
      stream: configSchema.shape.stream.partial().strict(),
      load: configSchema.shape.load.partial(),
    })
    .partial()
    .strict()
    .safeParse(data);
  if (!partial.success) {
    const problems = partial.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', problems, { location: { file } });
  }
  Object.assign(config, {
    ...partial.data,
    http: { ...config.http, ...(partial.data.http ?? {}) },
    stream: { ...config.stream, ...(partial.data.stream ?? {}) },
    load: { ...config.load, ...(partial.data.load ?? {}) },
  });
}
