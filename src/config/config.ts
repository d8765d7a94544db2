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
});

export type Config = z.infer<typeof configSchema>;

export const defaultConfig: Config = {
  db: 'telmark.duckdb',
  demoDir: 'demo-data',
  http: { host: '127.0.0.1', port: 8080, allowedHosts: [], corsOrigins: [] },
  threads: 0,
  memoryLimit: '8GB',
  logLevel: 'info',
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
};

export interface ConfigSources {
  file?: string;
  env?: Record<string, string | undefined>;
  flags?: Partial<{ db: string; port: number; host: string }>;
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
  const partial = configSchema.extend({ http: configSchema.shape.http.partial() }).partial().strict().safeParse(data);
  if (!partial.success) {
    const problems = partial.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', problems, { location: { file } });
  }
  Object.assign(config, { ...partial.data, http: { ...config.http, ...(partial.data.http ?? {}) } });
}
