// The audience as a list (CSV: msisdn, county, brand), phone numbers masked unless the caller may see
// them whole. Every export is written to the audit log with who, what and how many, masked or not:
// a list of customers leaving the system is the event an auditor looks for.
import { appendAudit, maskMsisdnText } from '../../access/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { rowsToCsv } from '../../shared/csv-text.ts';
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { listAudienceOnClickHouse } from './clickhouse-audience.ts';
import { type CompileAudienceOptions, compileAudienceParts, resolveAudienceDay } from './compile-audience.ts';

export interface ExportAudienceRequest extends CompileAudienceOptions {
  definition: unknown;
  /** Full phone numbers (the caller has `msisdn.unmasked`); masked 138****5678 otherwise. */
  unmasked: boolean;
  actor: string;
  /** Where the request came from (an IP address, or `cli`). */
  address: string;
  clock: Clock;
  /** The facts on a ClickHouse cluster: the list is read there; the audit stays in `warehouse`. */
  facts?: ClickHouseWarehouse;
  /** The saved audience exported, for the audit log. */
  audience?: { id: number; version: number };
}

export interface AudienceExport {
  csv: string;
  rows: number;
  /** The same rows as objects (for --format json and table). */
  list: { msisdn: string; county: string; brand: string }[];
}

export async function exportAudience(warehouse: Warehouse, request: ExportAudienceRequest): Promise<AudienceExport> {
  const rows = request.facts
    ? await listAudienceOnClickHouse(request.facts, request.definition, request.asOf)
    : await listAudience(warehouse, request);
  const masked = rows.map((row) => ({
    msisdn: request.unmasked ? row.msisdn : maskMsisdnText(row.msisdn),
    county: row.county,
    brand: row.brand,
  }));
  const csv = masked.length > 0 ? rowsToCsv(masked) : 'msisdn,county,brand\n';
  await appendAudit(warehouse, request.clock, {
    actor: request.actor,
    address: request.address,
    action: 'audience.export',
    target: request.audience ? `audience ${request.audience.id} v${request.audience.version}` : 'audience definition',
    detail: { rows: rows.length, masked: !request.unmasked, ...(request.asOf ? { asOf: request.asOf } : {}) },
  });
  return { csv, rows: rows.length, list: masked };
}

async function listAudience(warehouse: Warehouse, request: ExportAudienceRequest) {
  compileAudienceParts(request.definition, request); // a bad definition fails before any query
  const asOf = request.asOf;
  // On the facts' own day the compiler reads the facts row; another day is computed from the details.
  const factsDay = await resolveAudienceDay(warehouse);
  const dated = request.asOf !== undefined && request.asOf !== factsDay;
  const { where, params } = compileAudienceParts(request.definition, dated ? { asOf } : { factsDay });
  return warehouse.all<{ msisdn: string; county: string; brand: string }>(
    `SELECT f.msisdn, f.county, f.brand FROM subscriber_facts f WHERE ${where} ORDER BY f.msisdn`,
    params,
  );
}
