// `telmark campaign evaluate`: the latest round (or the one asked for) measured against its control,
// uplift rules discovered on a pilot's groups, both stored on the round; a pilot becomes `evaluated`.
import { readUpliftFeaturesOnClickHouse } from '../../mining/uplift/index.ts';
import { type ClickHouseWarehouse, roundContactsKey } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { AppError } from '../../shared/errors.ts';
import { type CampaignActor, type CampaignDeps, checkStep, moveCampaign } from '../campaign-lifecycle.ts';
import { loadCampaign } from '../campaign-store.ts';
import { listRounds } from '../rounds/campaign-rounds.ts';
import { discoverRoundRules } from './discover-round-rules.ts';
import { ordersLoadedUntil, roundFunnel, roundOutcomes } from './round-outcomes.ts';
import { ordersLoadedUntilOnClickHouse, roundOutcomesOnClickHouse } from './round-outcomes-clickhouse.ts';
import { type RoundEvaluation, summarizeRound } from './summarize-round.ts';

export interface EvaluateOptions {
  round?: number;
  /** Discover uplift rules on a pilot or correction round (default true). */
  discover?: boolean;
}

/** Measures a round without storing anything (the page's live view, the API's GET). */
export async function measureRound(
  warehouse: Warehouse,
  id: string,
  round?: number,
  facts?: ClickHouseWarehouse,
): Promise<RoundEvaluation> {
  return (await measure(warehouse, id, round, facts)).evaluation;
}

/** `facts`: the cluster holding the orders and subscribers when the warehouse is on ClickHouse. */
async function measure(warehouse: Warehouse, id: string, round?: number, facts?: ClickHouseWarehouse) {
  const campaign = await loadCampaign(warehouse, id);
  const rounds = await listRounds(warehouse, id);
  const target = round === undefined ? rounds.at(-1) : rounds.find((r) => r.round === round);
  if (!target)
    throw new AppError(
      'NOT_FOUND',
      `campaign ${id} has ${round === undefined ? 'no round yet' : `no round ${round}`}`,
      {
        location: { field: 'round' },
        hint:
          round === undefined
            ? 'start its pilot first: telmark campaign pilot ID'
            : `rounds: ${rounds.map((r) => r.round).join(', ') || 'none'}`,
      },
    );
  const window = {
    campaignId: id,
    round: target.round,
    serviceId: campaign.serviceId,
    windowDays: campaign.content.responseWindowDays,
  };
  const [rows, funnel, ordersUntil] = await Promise.all([
    facts ? roundOutcomesOnClickHouse(warehouse, facts, window) : roundOutcomes(warehouse, window),
    roundFunnel(warehouse, id, target.round),
    facts ? ordersLoadedUntilOnClickHouse(facts) : ordersLoadedUntil(warehouse),
  ]);
  const evaluation = summarizeRound({
    campaignId: id,
    round: target.round,
    kind: target.kind,
    serviceId: campaign.serviceId,
    windowDays: campaign.content.responseWindowDays,
    startedAt: target.startedAt,
    ordersUntil,
    costPerMessageYuan: campaign.content.costPerMessageYuan,
    funnel,
    rows,
    rules: target.rules ?? [],
  });
  return { evaluation, rows };
}

export async function evaluateCampaign(
  warehouse: Warehouse,
  id: string,
  actor: CampaignActor,
  deps: CampaignDeps,
  options: EvaluateOptions = {},
): Promise<RoundEvaluation> {
  const campaign = await loadCampaign(warehouse, id);
  checkStep(campaign, 'evaluate');
  const { evaluation, rows } = await measure(warehouse, id, options.round, deps.facts);
  // Rules come from pilots (a first pilot or a correction); a rollout's own control only checks them.
  if (options.discover !== false && evaluation.kind !== 'rollout') {
    // On ClickHouse the features are read per shard for the round's contacts, which measure() pushed.
    const features = deps.facts
      ? await readUpliftFeaturesOnClickHouse(deps.facts, roundContactsKey(id, evaluation.round))
      : undefined;
    const discovery = await discoverRoundRules(warehouse, rows, 1, features);
    evaluation.rules = discovery?.rules ?? [];
    evaluation.discovery = discovery ? { ...discovery, rules: undefined } : null;
  }
  const to = campaign.status === 'pilot' ? 'evaluated' : campaign.status;
  await moveCampaign(warehouse, campaign, {
    step: 'evaluate',
    to,
    actor,
    deps,
    note: `round ${evaluation.round}: uplift ${evaluation.uplift?.toFixed(2) ?? '–'} pp`,
    detail: {
      round: evaluation.round,
      uplift: evaluation.uplift,
      ci_low: evaluation.ci_low,
      ci_high: evaluation.ci_high,
    },
    alsoWrite: async (tx, at) => {
      await tx.run(
        'UPDATE campaign_rounds SET evaluation = ?, evaluated_at = ?, rules = ? WHERE campaign_id = ? AND round = ?',
        [JSON.stringify(evaluation), at, JSON.stringify(evaluation.rules), id, evaluation.round],
      );
    },
  });
  return evaluation;
}
