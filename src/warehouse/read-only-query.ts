// `telmark sql` (and any query text from outside) may only read the warehouse. Three locks, each of
// which would hold alone against some attack: the text must be one SELECT-like statement (EXPLAIN only
// of a SELECT, since EXPLAIN ANALYZE runs its statement); the instance is opened read-only; and it has
// external access off and its configuration locked, so read_csv('/etc/passwd'), COPY … TO, ATTACH,
// INSTALL or SET fail inside DuckDB even if a statement slipped past the first check.
import { StatementType } from '@duckdb/node-api';
import { AppError } from '../shared/errors.ts';
import { type Row, Warehouse, type WarehouseOptions } from './warehouse.ts';

const READ_ONLY_START = /^\s*(select|with|describe|show|summarize|explain|from|values|pivot|unpivot)\b/i;
/** EXPLAIN's own words before the statement it explains: ANALYZE, or an option list in parentheses. */
const EXPLAIN_PREFIX = /^\s*explain\s+(?:analy[sz]e\s+|\([^)]*\)\s*)?/i;
const refusal = 'only read-only queries are allowed (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a SELECT)';
const hint = 'load data with `telmark load DIR`; the warehouse is not edited by hand and files are not read from here';

export function checkReadOnly(query: string): void {
  const trimmed = query.trim().replace(/;\s*$/, '');
  if (trimmed === '') throw new AppError('WAREHOUSE_READ_ONLY', 'the query is empty');
  if (!READ_ONLY_START.test(trimmed)) throw new AppError('WAREHOUSE_READ_ONLY', refusal, { hint });
}

/** Opens the warehouse for outside queries: read-only, no external access, configuration locked. */
export function openQueryWarehouse(
  path: string,
  options: Omit<WarehouseOptions, 'readOnly' | 'forOutsideQueries'> = {},
): Promise<Warehouse> {
  return Warehouse.open(path, { ...options, forOutsideQueries: true });
}

export async function runReadOnlyQuery(warehouse: Warehouse, query: string): Promise<Row[]> {
  checkReadOnly(query);
  await requireLockedDown(warehouse);
  const trimmed = query.trim().replace(/;\s*$/, '');
  await requireSelect(warehouse, trimmed, false);
  try {
    return await warehouse.all(trimmed);
  } catch (error) {
    throw describeQueryError(error);
  }
}

/** Prepared statements hold exactly one statement, so "SELECT 1; DROP TABLE x" cannot slip through. */
async function requireSelect(warehouse: Warehouse, sql: string, explained: boolean): Promise<void> {
  let type: StatementType;
  try {
    type = (await warehouse.raw.prepare(sql)).statementType;
  } catch (error) {
    throw describeQueryError(error);
  }
  if (type === StatementType.SELECT) return;
  if (type === StatementType.EXPLAIN && !explained) {
    // EXPLAIN ANALYZE runs what it explains: "EXPLAIN ANALYZE DELETE FROM plans" deletes every plan.
    const inner = sql.replace(EXPLAIN_PREFIX, '');
    if (inner !== sql) return requireSelect(warehouse, inner, true);
  }
  throw new AppError(
    'WAREHOUSE_READ_ONLY',
    `${explained ? 'EXPLAIN of a ' : ''}statement of type ${StatementType[type]} is not read-only; ${refusal}`,
    { hint },
  );
}

/** Refuses to run outside text on a connection that could write or read files (a wiring mistake). */
async function requireLockedDown(warehouse: Warehouse): Promise<void> {
  const row = await warehouse.one<{ external: string; locked: string }>(
    `SELECT current_setting('enable_external_access')::VARCHAR AS external,
            current_setting('lock_configuration')::VARCHAR AS locked`,
  );
  if (row?.external !== 'false' || row?.locked !== 'true') {
    throw new AppError('INTERNAL', 'outside queries must run on a warehouse opened with openQueryWarehouse()');
  }
}

function describeQueryError(error: unknown): AppError {
  const cause = error instanceof AppError && error.cause !== undefined ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/multiple statements/i.test(message)) {
    return new AppError('WAREHOUSE_READ_ONLY', 'one statement at a time', { hint, cause: error });
  }
  if (
    /Permission Error|file system operations are disabled|read-only mode|configuration has been locked/i.test(message)
  ) {
    return new AppError('WAREHOUSE_READ_ONLY', `not allowed: ${message.split('\n')[0]}`, {
      hint: 'queries read the warehouse tables only: no files, no settings, no writes',
      cause: error,
    });
  }
  return error instanceof AppError ? error : new AppError('WAREHOUSE_QUERY', message, { cause: error });
}
