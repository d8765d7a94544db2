// Brings a warehouse file up to the current schema. Every statement is idempotent, so an
// interrupted migration simply runs again.
import { SCHEMA_VERSION, schemaStatements } from './schema.ts';
import type { Warehouse } from './warehouse.ts';

export async function migrate(warehouse: Warehouse): Promise<void> {
  for (const statement of schemaStatements) await warehouse.run(statement);
  await warehouse.run(
    `INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(SCHEMA_VERSION)],
  );
}
