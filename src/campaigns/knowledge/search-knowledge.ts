// The knowledge base: finished campaigns, searchable by service, segment, county, channel, season and
// result; and for a new campaign, the settings and rules that worked best for its service before.
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';

export interface KnowledgeEntry {
  campaign_id: string;
  name: string;
  service_id: string;
  channel: string;
  season: string;
  started_at: string | null;
  closed_at: string;
  closed_by: string;
  counties: string;
  segments: string;
  result: string;
  contacted: number;
  control: number;
  uplift: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  cost_per_incremental_yuan: number | null;
  lessons: string;
  summary: Record<string, unknown>;
}

export interface KnowledgeQuery {
  service?: string;
  /** A brand, segment or attribute value named by the audience or rules (e.g. mzone, age). */
  segment?: string;
  county?: string;
  channel?: string;
  season?: string;
  result?: string;
  /** Words in the name, offer, text or lessons. */
  text?: string;
  limit?: number;
}

const SELECT = `SELECT * REPLACE (strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
                                 strftime(closed_at, '%Y-%m-%d %H:%M:%S') AS closed_at) FROM campaign_knowledge`;

function toEntry(row: Record<string, unknown>): KnowledgeEntry {
  return { ...(row as unknown as KnowledgeEntry), summary: JSON.parse(String(row.summary)) as Record<string, unknown> };
}

/** The answer of GET /api/campaign-knowledge. */
export interface KnowledgeList {
  entries: KnowledgeEntry[];
}

export async function searchKnowledge(warehouse: Warehouse, query: KnowledgeQuery = {}): Promise<KnowledgeEntry[]> {
  const like = (v: string | undefined) => (v === undefined || v === '' ? null : `%${v.replace(/[\\%_]/g, '\\$&')}%`);
  const rows = await warehouse.all(
    `${SELECT}
     WHERE (? IS NULL OR service_id = ?) AND (? IS NULL OR channel = ?) AND (? IS NULL OR season = ?)
       AND (? IS NULL OR result = ?)
       AND (? IS NULL OR counties LIKE ? ESCAPE '\\' OR counties = 'all')
       AND (? IS NULL OR segments LIKE ? ESCAPE '\\')
       AND (? IS NULL OR name || ' ' || lessons || ' ' || summary LIKE ? ESCAPE '\\')
     ORDER BY closed_at DESC, campaign_id DESC LIMIT ?`,
    [
      query.service ?? null,
      query.service ?? null,
      query.channel ?? null,
      query.channel ?? null,
      query.season ?? null,
      query.season ?? null,
      query.result ?? null,
      query.result ?? null,
      like(query.county),
      like(query.county),
      like(query.segment),
      like(query.segment),
      like(query.text),
      like(query.text),
      query.limit ?? 100,
    ],
  );
  return rows.map(toEntry);
}

export async function loadKnowledgeEntry(warehouse: Warehouse, campaignId: string): Promise<KnowledgeEntry> {
  const row = await warehouse.one(`${SELECT} WHERE campaign_id = ?`, [campaignId]);
  if (!row) throw new AppError('NOT_FOUND', `campaign ${campaignId} has no knowledge entry (it is not closed)`);
  return toEntry(row);
}

/** What worked best for a service before: positive results first, by the interval's lower end. */
export async function suggestForService(warehouse: Warehouse, serviceId: string): Promise<KnowledgeEntry[]> {
  const rows = await warehouse.all(
    `${SELECT} WHERE service_id = ?
     ORDER BY result = 'positive' DESC, ci_low DESC NULLS LAST, closed_at DESC LIMIT 3`,
    [serviceId],
  );
  return rows.map(toEntry);
}
