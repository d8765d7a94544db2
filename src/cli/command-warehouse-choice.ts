// The program's own `--warehouse URL` also takes a `--warehouse` written after `train` or `rules`, where
// it names what those commands read from the warehouse (`train --warehouse churn`, `rules --warehouse
// holdings`). A value there that is neither such a name nor a ClickHouse URL was a typo of one of the
// two: the user is told both meanings, not only "must look like clickhouse://…".
import { AppError } from '../shared/errors.ts';

export function commandChoiceFromWarehouse<T extends { warehouse?: unknown }>(
  global: T,
  choices: readonly string[],
  what: string,
): { choice: string | undefined; global: Omit<T, 'warehouse'> } {
  const value = global.warehouse;
  if (typeof value !== 'string' || /^clickhouse:\/\//i.test(value)) return { choice: undefined, global };
  if (!choices.includes(value))
    throw new AppError(
      'USAGE',
      `--warehouse "${value}" is neither ${what} (${choices.join(', ')}) nor a ClickHouse URL (clickhouse://HOST:PORT/DATABASE)`,
    );
  const { warehouse: _, ...rest } = global;
  return { choice: value, global: rest };
}
