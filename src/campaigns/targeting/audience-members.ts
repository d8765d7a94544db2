// The subscribers an audience holds today, as a list of msisdns (one query, parameterised).
import type { Warehouse } from '../../warehouse/index.ts';
import type { AudienceNode } from '../campaign-content.ts';
import { compileBasicAudience } from './compile-basic-audience.ts';

export async function audienceMembers(warehouse: Warehouse, definition: AudienceNode): Promise<string[]> {
  const { sql, params } = compileBasicAudience(definition);
  const rows = await warehouse.all<{ msisdn: string }>(`SELECT msisdn FROM (${sql}) ORDER BY msisdn`, params);
  return rows.map((r) => r.msisdn);
}

/** Narrows an audience to the union of rule conditions: {all: [original, {any: [rule…]}]}. */
export function narrowAudience(original: AudienceNode, ruleConditions: readonly AudienceNode[][]): AudienceNode {
  return { all: [original, { any: ruleConditions.map((conditions) => ({ all: conditions })) }] };
}
