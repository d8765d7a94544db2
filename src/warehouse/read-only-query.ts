// `telmark sql` and the API's query box take text from people: only one read-only statement passes.
import { StatementType } from '@duckdb/node-api';
import { AppError } from '../shared/errors.ts';
import type { Row, Warehouse } from './warehouse.ts';

const READ_ONLY_START = /^\s*(select|with|describe|show|summarize|explain|from|values|pivot|unpivot)\b/i;

export function checkReadOnly(query: string): void {
  const trimmed = query.trim().replace(/;\s*$/, '');
  if (trimmed === '') throw new AppError('WAREHOUSE_READ_ONLY', 'the query is empty');
  if (!READ_ONLY_START.test(trimmed)) {
    throw new AppError(
      'WAREHOUSE_READ_ONLY',
      'only read-only queries are allowed (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)',
      {
        hint: 'load data with `telmark load DIR`; the warehouse is not edited by hand',
      },
    );
  }
}

export async function runReadOnlyQuery(warehouse: Warehouse, query: string): Promise<Row[]> {
  checkReadOnly(query);
  const trimmed = query.trim().replace(/;\s*$/, '');
  // Prepared statements hold exactly one statement, so "SELECT 1; DROP TABLE x" cannot slip through.
  let prepared: Awaited<ReturnType<typeof warehouse.raw.prepare>>;
  try {
    prepared = await warehouse.raw.prepare(trimmed);
  } catch (error) {
    throw new AppError('WAREHOUSE_QUERY', (error as Error).message, { cause: error });
  }
  const type = prepared.statementType;
  // Anything that could write (INSERT, COPY, ATTACH, SET, ...) is refused, whatever its first word.
  const allowed: readonly StatementType[] = [StatementType.SELECT, StatementType.EXPLAIN, StatementType.PRAGMA];
  if (!allowed.includes(type)) {
    throw new AppError('WAREHOUSE_READ_ONLY', `statement of type ${StatementType[type]} is not read-only`);
  }
  return warehouse.all(trimmed);
}
