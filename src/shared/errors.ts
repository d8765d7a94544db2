// One catalogue of error codes (after fastify's lib/errors.js): every error that reaches a person
// carries a stable code, says what went wrong and where, and, where possible, how to fix it.

export const errorCatalogue = {
  USAGE: { exitCode: 2, httpStatus: 400, title: 'usage error' },
  CONFIG_INVALID: { exitCode: 2, httpStatus: 500, title: 'invalid configuration' },
  FEED_FILE_INVALID: { exitCode: 1, httpStatus: 400, title: 'feed file rejected' },
  FEED_UNKNOWN: { exitCode: 1, httpStatus: 400, title: 'unknown feed' },
  WAREHOUSE_LOCKED: { exitCode: 1, httpStatus: 503, title: 'warehouse in use by another process' },
  // Over HTTP no query text comes from the client, so a failing query is the server's fault.
  WAREHOUSE_QUERY: { exitCode: 1, httpStatus: 500, title: 'query failed' },
  WAREHOUSE_READ_ONLY: { exitCode: 2, httpStatus: 400, title: 'statement not allowed' },
  WRITE_CONFLICT: { exitCode: 1, httpStatus: 409, title: 'conflicting write' },
  WAREHOUSE_EMPTY: { exitCode: 1, httpStatus: 409, title: 'warehouse has no data yet' },
  // A ClickHouse shard that does not answer: never a partial answer from the others.
  WAREHOUSE_UNAVAILABLE: { exitCode: 1, httpStatus: 503, title: 'warehouse shard unavailable' },
  INTERRUPTED: { exitCode: 130, httpStatus: 503, title: 'interrupted' },
  // A command not yet carried to the ClickHouse warehouse refuses instead of reading the DuckDB file.
  WAREHOUSE_UNSUPPORTED: { exitCode: 2, httpStatus: 501, title: 'not available on this warehouse engine' },
  INPUT_INVALID: { exitCode: 1, httpStatus: 400, title: 'invalid input' },
  NOT_FOUND: { exitCode: 1, httpStatus: 404, title: 'not found' },
  PAYLOAD_TOO_LARGE: { exitCode: 1, httpStatus: 413, title: 'request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { exitCode: 1, httpStatus: 415, title: 'unsupported content type' },
  MODEL_SCHEMA_MISMATCH: { exitCode: 1, httpStatus: 400, title: 'table does not match the model' },
  RULE_INVALID: { exitCode: 1, httpStatus: 400, title: 'invalid rule' },
  STREAM_SOURCE: { exitCode: 1, httpStatus: 502, title: 'stream source failed' },
  CHANNEL_FAILED: { exitCode: 1, httpStatus: 502, title: 'channel failed' },
  AUTH_REQUIRED: { exitCode: 1, httpStatus: 401, title: 'sign in first' },
  FORBIDDEN: { exitCode: 1, httpStatus: 403, title: 'not allowed' },
  TOO_MANY_REQUESTS: { exitCode: 1, httpStatus: 429, title: 'too many requests' },
  AUDIT_TAMPERED: { exitCode: 1, httpStatus: 500, title: 'audit log tampered with' },
  INTERNAL: { exitCode: 1, httpStatus: 500, title: 'internal error' },
} as const satisfies Record<string, { exitCode: number; httpStatus: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Where a problem is: a file and line, a field, a JSON path. Shown to people and kept in quarantine. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  path?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { location?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.location = options.location ?? {};
    this.hint = options.hint;
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }

  get httpStatus(): number {
    return errorCatalogue[this.code].httpStatus;
  }

  /** `orders_20260301.csv line 812: msisdn "1380013800" must have 11 digits (fix: ...)` */
  describe(): string {
    const where = formatLocation(this.location);
    const text = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${text}\n  hint: ${this.hint}` : text;
  }

  toJSON(): { code: ErrorCode; message: string; location: ErrorLocation; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      location: this.location,
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export function formatLocation(location: ErrorLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.field) parts.push(`field ${location.field}`);
  if (location.path) parts.push(location.path);
  return parts.join(' ');
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Wraps anything thrown by a library into an AppError with context, keeping the cause. */
export function toAppError(error: unknown, code: ErrorCode = 'INTERNAL', context?: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(code, context ? `${context}: ${message}` : message, { cause: error });
}
