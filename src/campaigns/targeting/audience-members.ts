// The subscribers an audience holds today, as a list of msisdns: the audience builder's compiler
// (src/campaigns/audiences/), one parameterised query.
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { type AudienceDefinition, compileAudience } from '../audiences/index.ts';
import { listAudienceOnClickHouse } from '../audiences/clickhouse-audience.ts';
import type { AudienceNode } from '../campaign-content.ts';

export async function audienceMembers(
  warehouse: Warehouse | ClickHouseWarehouse,
  definition: AudienceNode,
): Promise<string[]> {
  if (warehouse.engine === 'clickhouse')
    return (await listAudienceOnClickHouse(warehouse, definition)).map((r) => r.msisdn);
  const { sql, params } = compileAudience(definition);
  const rows = await warehouse.all<{ msisdn: string }>(`SELECT msisdn FROM (${sql}) ORDER BY msisdn`, params);
  return rows.map((r) => r.msisdn);
}

/** Narrows an audience to the union of rule conditions: {all: [original, {any: [{all: rule}…]}]}. */
export function narrowAudience(original: AudienceNode, ruleConditions: readonly AudienceNode[][]): AudienceNode {
  const narrowed: AudienceDefinition = {
    all: [
      original as AudienceDefinition,
      { any: ruleConditions.map((conditions) => ({ all: conditions as AudienceDefinition[] })) },
    ],
  };
  return narrowed as unknown as AudienceNode;
}
