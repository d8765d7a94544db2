// The audience's size with its breakdown by county and brand, in one pass over subscriber_facts: the
// builder asks for it on every change, so it stays one GROUP BY (well under a second on a million
// subscribers, see bench/campaigns.ts).
import { type Bilingual, brandLabels } from '../../metrics/index.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { countAudienceOnClickHouse } from './clickhouse-audience.ts';
import { type CompileAudienceOptions, compileAudienceParts, resolveAudienceDay } from './compile-audience.ts';
import { checkAudienceReferences, type ReferenceWarning } from './check-audience-references.ts';

export interface AudiencePreview {
  size: number;
  /** The day the audience was taken on (the data's last day unless asked otherwise). */
  asOf: string | null;
  byCounty: { county: string; subscribers: number }[];
  byBrand: { brand: string; label: Bilingual; subscribers: number }[];
  /** Values the warehouse does not know (a service, a model version, a county): they select nobody. */
  warnings: ReferenceWarning[];
}

export async function previewAudience(
  warehouse: Warehouse | ClickHouseWarehouse,
  definition: unknown,
  options: CompileAudienceOptions = {},
): Promise<AudiencePreview> {
  if (warehouse.engine === 'clickhouse') {
    const counted = await countAudienceOnClickHouse(warehouse, definition, options.asOf);
    return summarize(counted.rows, counted.asOf, await checkAudienceReferences(warehouse, definition));
  }
  compileAudienceParts(definition, options); // a bad definition fails before any query
  const asOf = options.asOf;
  // On the facts' own day the compiler reads the facts row; another day is computed from the details.
  const factsDay = await resolveAudienceDay(warehouse);
  const dated = options.asOf !== undefined && options.asOf !== factsDay;
  const { where, params } = compileAudienceParts(definition, dated ? { asOf } : { factsDay });
  const [rows, warnings] = await Promise.all([
    warehouse.all<{ county: string; brand: string; subscribers: number }>(
      `SELECT f.county, f.brand, count(*) AS subscribers FROM subscriber_facts f WHERE ${where} GROUP BY ALL`,
      params,
    ),
    checkAudienceReferences(warehouse, definition),
  ]);
  return summarize(rows, (dated ? asOf : factsDay) ?? null, warnings);
}

function summarize(
  rows: readonly { county: string; brand: string; subscribers: number }[],
  asOf: string | null,
  warnings: ReferenceWarning[],
): AudiencePreview {
  const byCounty = new Map<string, number>();
  const byBrand = new Map<string, number>();
  let size = 0;
  for (const row of rows) {
    const n = Number(row.subscribers);
    size += n;
    byCounty.set(row.county, (byCounty.get(row.county) ?? 0) + n);
    byBrand.set(row.brand, (byBrand.get(row.brand) ?? 0) + n);
  }
  const descending = <T extends { subscribers: number }>(a: T, b: T, ka: string, kb: string) =>
    b.subscribers - a.subscribers || ka.localeCompare(kb);
  return {
    size,
    asOf,
    byCounty: [...byCounty]
      .map(([county, subscribers]) => ({ county, subscribers }))
      .sort((a, b) => descending(a, b, a.county, b.county)),
    byBrand: [...byBrand]
      .map(([brand, subscribers]) => ({ brand, label: brandLabels[brand] ?? { zh: brand, en: brand }, subscribers }))
      .sort((a, b) => descending(a, b, a.brand, b.brand)),
    warnings,
  };
}
