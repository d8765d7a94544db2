// Closing a campaign writes what it taught into the knowledge base: the audience and the rules found,
// offer, text, channel, timing, the groups, the uplift with its interval, the cost per incremental
// order, and the lessons the person closing it enters. The headline round is the last one evaluated
// (the rollout's, when there is one: that is the effect the campaign really had).
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import type { AudienceNode } from '../campaign-content.ts';
import { type CampaignActor, type CampaignDeps, checkStep, moveCampaign } from '../campaign-lifecycle.ts';
import { loadCampaign } from '../campaign-store.ts';
import { seasonOf } from '../campaign-time.ts';
import type { RoundEvaluation } from '../evaluation/summarize-round.ts';
import { listRounds } from '../rounds/campaign-rounds.ts';
import { type KnowledgeEntry, loadKnowledgeEntry } from './search-knowledge.ts';

export interface CloseOptions {
  lessons?: string;
}

export async function closeCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
  options: CloseOptions = {},
): Promise<KnowledgeEntry> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'close');
  const rounds = await listRounds(warehouse, id);
  const evaluated = rounds.filter((r) => r.evaluation !== null);
  const headline = evaluated.at(-1)?.evaluation as RoundEvaluation | undefined;
  if (!headline)
    throw new AppError('INPUT_INVALID', `campaign ${id} has no evaluated round to summarise`, {
      hint: `evaluate it first: telmark campaign evaluate ${id}`,
    });
  const rules = evaluated.flatMap((r) => (r.rules ?? []) as { conditions?: AudienceNode[] }[]);
  const named = namedValues([campaign.content.audience, ...rules.flatMap((r) => r.conditions ?? [])]);
  const result =
    headline.ci_low !== null && headline.ci_low > 0
      ? 'positive'
      : headline.ci_high !== null && headline.ci_high < 0
        ? 'negative'
        : 'none';
  const startedAt = rounds[0]?.startedAt ?? campaign.content.schedule.start;
  const summary = {
    audience: campaign.content.audience,
    rules,
    offer: campaign.content.offer,
    text: campaign.content.message.text,
    variants: campaign.content.message.variants,
    channel: campaign.channel,
    schedule: campaign.content.schedule,
    responseWindowDays: campaign.content.responseWindowDays,
    costPerMessageYuan: campaign.content.costPerMessageYuan,
    rounds: rounds.map((r) => {
      const e = r.evaluation as RoundEvaluation | null;
      return {
        round: r.round,
        kind: r.kind,
        startedAt: r.startedAt,
        contacted: e?.contacted ?? r.contacted,
        control: e?.control ?? r.control,
        uplift: e?.uplift ?? null,
        ci_low: e?.ci_low ?? null,
        ci_high: e?.ci_high ?? null,
      };
    }),
  };
  await moveCampaign(warehouse, campaign, {
    step: 'close',
    to: 'closed',
    actor,
    deps,
    detail: { result, uplift: headline.uplift },
    alsoWrite: async (tx, at) => {
      await tx.run(
        `INSERT INTO campaign_knowledge (campaign_id, name, service_id, channel, season, started_at, closed_at, closed_by,
           counties, segments, result, contacted, control, uplift, ci_low, ci_high, p_value, cost_per_incremental_yuan,
           lessons, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          campaign.name,
          campaign.serviceId,
          campaign.channel,
          seasonOf(startedAt),
          startedAt.length === 10 ? `${startedAt} 00:00:00` : startedAt,
          at,
          actor.name,
          named.counties.join(',') || 'all',
          named.segments.join(','),
          result,
          headline.contacted,
          headline.control,
          headline.uplift,
          headline.ci_low,
          headline.ci_high,
          headline.p_value,
          headline.cost_per_incremental_order_yuan,
          options.lessons ?? '',
          JSON.stringify(summary),
        ],
      );
    },
  });
  return loadKnowledgeEntry(warehouse, id);
}

/** Counties and other attribute values an audience or rule names: what the entry is found by. */
function namedValues(nodes: readonly unknown[]): { counties: string[]; segments: string[] } {
  const counties = new Set<string>();
  const segments = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (typeof n.attribute === 'string') {
      if (Array.isArray(n.in)) {
        for (const v of n.in)
          (n.attribute === 'county' ? counties : segments).add(
            n.attribute === 'county' ? String(v) : `${n.attribute}=${v}`,
          );
      } else if (Array.isArray(n.between)) {
        const [low, high] = n.between as [number | null, number | null];
        segments.add(`${n.attribute}:${low ?? ''}-${high ?? ''}`);
      }
    }
    for (const value of Object.values(n)) if (typeof value === 'object') walk(value);
    if (typeof n.segment === 'string') segments.add(`segment=${n.segment}`);
  };
  nodes.forEach(walk);
  return { counties: [...counties].sort(), segments: [...segments].sort() };
}
