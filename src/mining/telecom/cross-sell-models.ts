// Cross-sell on the warehouse in one run: rules over the services held together, order propensity
// per service, and next-best offers per open account; all written with their model version.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { sqlTimestamp } from '../../warehouse/index.ts';
import { affinityInWorker } from '../models/index.ts';
import { type AssociationRule, mineAssociationRules } from '../rules/index.ts';
import { readWarehouseBaskets } from '../rules/warehouse-baskets.ts';
import { type CrossSellAffinity, measureCrossSellAffinity } from './cross-sell-affinity.ts';
import { MINING_MODEL_COLUMNS, type MiningWarehouse, writeModelResults } from './mining-warehouse.ts';
import { modelVersion } from './model-version.ts';
import { type Offer, rankOffers } from './next-best-offer.ts';
import { fitServicePropensities, readServiceUptake, type ServicePropensity } from './service-propensity.ts';
import { readSubscriberFeatures } from './subscriber-features.ts';

export interface CrossSellOptions {
  clock: Clock;
  seed?: number;
  minSupport?: number;
  minConfidence?: number;
  offersPerSubscriber?: number;
  /** Fit the propensity models on the mining worker (in the server, so that requests keep being answered). */
  inWorker?: boolean;
  /** Aborting terminates the work on the worker (Ctrl+C of `npm start`). */
  signal?: AbortSignal;
}

export interface CrossSellResult {
  modelVersion: string;
  rules: AssociationRule[];
  /** Cross-sell affinity adjusted for the subscriber profile, strongest first. */
  affinities: CrossSellAffinity[];
  propensities: { service: string; auc: number; takers: number }[];
  offers: Offer[];
}

export async function fitCrossSellModels(
  warehouse: MiningWarehouse,
  options: CrossSellOptions,
): Promise<CrossSellResult> {
  const baskets = await readWarehouseBaskets(warehouse, 'holdings');
  if (baskets.basketCount === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'no subscriptions to learn cross-sell from', {
      hint: 'load feeds first (telmark load DIR)',
    });
  const { rules } = mineAssociationRules(baskets, {
    minSupport: options.minSupport ?? 0.002,
    minConfidence: options.minConfidence ?? 0.05,
    minLift: 1,
    maxLength: 3,
  });
  const subscribers = (await readSubscriberFeatures(warehouse)).filter((row) => Number(row.churned) === 0);
  const uptake = await readServiceUptake(warehouse);
  const propensities: ServicePropensity[] = await fitServicePropensities(subscribers, uptake, {
    seed: options.seed,
    trees: 100,
    inWorker: options.inWorker,
    signal: options.signal,
  });
  // One logistic model per service: seconds of CPU at 20,000 subscribers, on the worker in the server.
  const affinities = options.inWorker
    ? await affinityInWorker(subscribers, uptake, options.signal)
    : measureCrossSellAffinity(subscribers, uptake);
  const msisdns = subscribers.map((row) => String(row.msisdn));
  const offers = rankOffers(msisdns, propensities, rules, uptake, options.offersPerSubscriber ?? 3);
  const version = modelVersion(
    'cross-sell',
    'gbdt+rules',
    JSON.stringify({
      rules: rules.map((r) => [r.antecedent, r.consequent, r.count]),
      models: propensities.map((p) => p.classifier.toJSON()),
    }),
  );
  const scoreRows: [string, string, number, string][] = [];
  for (const p of propensities)
    for (let i = 0; i < msisdns.length; i++) scoreRows.push([msisdns[i]!, p.service, p.scores[i]!, version]);
  await writeModelResults(warehouse, version, [
    {
      table: 'mining_models',
      columns: MINING_MODEL_COLUMNS,
      rows: [
        [
          version,
          'cross-sell',
          'gbdt+rules',
          sqlTimestamp(options.clock.now()),
          subscribers.length,
          propensities.reduce((sum, p) => sum + p.auc, 0) / Math.max(1, propensities.length),
          null,
          'holdout 30 % per service (mean AUC)',
          JSON.stringify({
            affinities,
            services: propensities.map((p) => ({ service: p.service, auc: p.auc, model: p.classifier.toJSON() })),
          }),
        ],
      ],
    },
    {
      table: 'mining_rules',
      columns: ['lhs', 'rhs', 'support', 'confidence', 'lift', 'count', 'model_version'],
      rows: rules.map((r) => [
        r.antecedent.join(', '),
        r.consequent.join(', '),
        r.support,
        r.confidence,
        r.lift,
        r.count,
        version,
      ]),
    },
    { table: 'mining_propensity_scores', columns: ['msisdn', 'service_id', 'score', 'model_version'], rows: scoreRows },
    {
      table: 'mining_offers',
      columns: [
        'msisdn',
        'offer_rank',
        'service_id',
        'score',
        'propensity',
        'rule_confidence',
        'reason',
        'model_version',
      ],
      rows: offers.map((o) => [
        o.msisdn,
        o.rank,
        o.service,
        o.score,
        o.propensity,
        o.ruleConfidence,
        o.reason,
        version,
      ]),
    },
  ]);
  return {
    modelVersion: version,
    rules,
    affinities,
    propensities: propensities.map(({ service, auc, takers }) => ({ service, auc, takers })),
    offers,
  };
}
