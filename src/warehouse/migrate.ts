// Brings a warehouse file up to the current schema. Every statement is idempotent, so an
// interrupted migration simply runs again. Derived tables hold nothing that cannot be rebuilt: when
// their shape changes they are dropped, recreated and refilled by the next load.
import { SCHEMA_VERSION, schemaStatements } from './schema.ts';
import type { Warehouse } from './warehouse.ts';

/** Derived tables whose columns changed in each version (dropped when migrating past it). */
const reshapedIn: Record<number, readonly string[]> = {
  2: ['agg_area_service_day', 'subscriptions'],
  // 3 reshaped nothing; it added derived tables (agg_sms_area_day, agg_ivr_menu_hour, agg_cell_brand_day,
  // customer_facts, subscriber_facts) that an older warehouse must fill: the bump asks for a full rebuild.
  3: [],
};

export async function migrate(warehouse: Warehouse): Promise<void> {
  const hasMeta = (await warehouse.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'`)) > 0;
  const stored = hasMeta
    ? Number(
        (await warehouse.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`))?.value ?? 0,
      )
    : 0;
  const reshaped = stored > 0 ? Object.entries(reshapedIn).filter(([version]) => Number(version) > stored) : [];
  for (const [, tables] of reshaped) {
    for (const table of tables) await warehouse.run(`DROP TABLE IF EXISTS ${table}`);
  }
  for (const statement of schemaStatements) await warehouse.run(statement);
  if (stored > 0 && stored < SCHEMA_VERSION) {
    // New or reshaped derived tables start empty: have the next load rebuild every day.
    await warehouse.run(
      `INSERT INTO meta (key, value) VALUES ('rebuild_all', '1') ON CONFLICT (key) DO UPDATE SET value = '1'`,
    );
  }
  await warehouse.run(
    `INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(SCHEMA_VERSION)],
  );
}
