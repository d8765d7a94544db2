// Mining over HTTP: association rules on the warehouse (rules explorer), the fitted models with their
// held-out figures, churn training off the request thread, and a subscriber's next-best offers.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import { mineAssociationRules, ruleToRow } from '../../mining/rules/index.ts';
import { readWarehouseBaskets } from '../../mining/rules/warehouse-baskets.ts';
import { segmentTable } from '../../mining/segments/index.ts';
import { encodeFeatures, inferFeatures } from '../../mining/table/index.ts';
import { fitChurnModel, readSubscriberFeatures } from '../../mining/telecom/index.ts';
import { rowsToRawTable } from '../../mining/telecom/warehouse-rows.ts';
import { ensureMiningTables } from '../../mining/warehouse-tables.ts';
import type { RouteDeps } from '../server.ts';

/** What subscribers are segmented on: who they are, what they pay, how they use the network. */
const segmentColumns = [
  'brand',
  'age',
  'tenure_days',
  'plan_fee',
  'sms_per_day',
  'wap_per_day',
  'vas_per_day',
  'services_held',
  'monthly_bill',
];

export async function miningRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get(
    '/api/mining/rules',
    {
      // Mines the warehouse's baskets on each call: a few a minute per address is plenty.
      config: { right: 'mining.read', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['mining'],
        summary: 'association rules on the warehouse: services held together, or used in the same month',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            source: { type: 'string', enum: ['holdings', 'monthly-usage'], default: 'holdings' },
            minSupport: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.005 },
            minConfidence: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
            minLift: { type: 'number', minimum: 0, default: 0 },
            maxLen: { type: 'integer', minimum: 2, maximum: 10, default: 3 },
            limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as {
        source: 'holdings' | 'monthly-usage';
        minSupport: number;
        minConfidence: number;
        minLift: number;
        maxLen: number;
        limit: number;
      };
      const baskets = await readWarehouseBaskets(deps.warehouse, q.source);
      const mined = mineAssociationRules(baskets, {
        minSupport: q.minSupport,
        minConfidence: q.minConfidence,
        minLift: q.minLift,
        maxLength: q.maxLen,
      });
      return {
        baskets: baskets.basketCount,
        items: baskets.itemNames.length,
        itemsets: mined.itemsets.size,
        ruleCount: mined.rules.length,
        rules: mined.rules.slice(0, q.limit).map(ruleToRow),
      };
    },
  );

  app.get(
    '/api/mining/models',
    {
      config: { right: 'mining.read' },
      schema: { tags: ['mining'], summary: 'the fitted models: version, purpose, kind, held-out AUC and baseline' },
    },
    async () => {
      await ensureMiningTables(deps.warehouse);
      const models = await deps.warehouse.all(
        `SELECT model_version, purpose, kind, CAST(trained_at AS VARCHAR) AS trained_at, rows, auc, baseline_auc, method
         FROM mining_models ORDER BY trained_at DESC`,
      );
      return { models };
    },
  );

  app.get(
    '/api/mining/models/:version',
    {
      config: { right: 'mining.read' },
      schema: {
        tags: ['mining'],
        summary:
          'one model report: held-out ROC curve, gain/lift by decile, importance, tree rules or cross-sell affinities',
        params: { type: 'object', properties: { version: { type: 'string', maxLength: 200 } }, required: ['version'] },
      },
    },
    async (request) => {
      const { version } = request.params as { version: string };
      await ensureMiningTables(deps.warehouse);
      const found = await deps.warehouse.all<{ model_json: string } & Record<string, unknown>>(
        `SELECT model_version, purpose, kind, CAST(trained_at AS VARCHAR) AS trained_at, rows, auc, baseline_auc, method,
                model_json
         FROM mining_models WHERE model_version = ?`,
        [version],
      );
      const row = found[0];
      if (!row) throw new AppError('NOT_FOUND', `no model "${version}"`, { hint: 'GET /api/mining/models lists them' });
      const { model_json, ...model } = row;
      const stored = JSON.parse(model_json) as {
        evaluation?: unknown;
        schema?: { features: unknown; target: unknown };
        affinities?: unknown;
        services?: { service: string; auc: number }[];
      };
      return {
        model,
        evaluation: stored.evaluation ?? null,
        target: stored.schema?.target ?? null,
        affinities: stored.affinities ?? null,
        services: stored.services?.map(({ service, auc }) => ({ service, auc })) ?? null,
      };
    },
  );

  app.post(
    '/api/mining/churn',
    {
      config: { right: 'mining.train' },
      schema: {
        tags: ['mining'],
        summary: 'fit the churn model (gbdt against a logistic baseline) on a worker thread and score open accounts',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            model: { type: 'string', enum: ['gbdt', 'tree', 'forest', 'logistic', 'mlp'], default: 'gbdt' },
            seed: { type: 'integer', minimum: 0, default: 1 },
          },
        },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as { model?: 'gbdt' | 'tree' | 'forest' | 'logistic' | 'mlp'; seed?: number };
      return fitChurnModel(deps.warehouse, { clock: deps.clock, model: body.model, seed: body.seed, inWorker: true });
    },
  );

  app.get(
    '/api/mining/segments',
    {
      // k-means over every subscriber on each call.
      config: { right: 'mining.read', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['mining'],
        summary: 'subscriber segments (k-means on profile and usage per day), each described by what sets it apart',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            k: { type: 'integer', minimum: 2, maximum: 12 },
            choose: { type: 'string', enum: ['silhouette', 'elbow'], default: 'silhouette' },
            maxK: { type: 'integer', minimum: 2, maximum: 12, default: 8 },
            seed: { type: 'integer', minimum: 0, default: 1 },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as { k?: number; choose: 'silhouette' | 'elbow'; maxK: number; seed: number };
      const rows = await readSubscriberFeatures(deps.warehouse);
      if (rows.length === 0)
        throw new AppError('WAREHOUSE_EMPTY', 'no subscribers to segment', { hint: 'load feeds first' });
      const raw = rowsToRawTable(rows, 'warehouse subscribers');
      const { features } = inferFeatures(
        raw,
        segmentColumns.filter((c) => raw.header.includes(c)),
      );
      const result = segmentTable(encodeFeatures(raw, features), {
        k: q.k,
        choose: q.choose,
        maxK: q.maxK,
        seed: q.seed,
      });
      return {
        k: result.k,
        method: result.method,
        rows: raw.rowCount,
        features: features.map((f) => f.name),
        candidates: result.candidates,
        segments: result.segments.map(({ id, size, share, description, traits }) => ({
          id,
          size,
          share,
          description,
          traits: traits.slice(0, 6),
        })),
      };
    },
  );

  app.get(
    '/api/mining/offers/:msisdn',
    {
      config: { right: 'customer.view' },
      schema: {
        tags: ['mining'],
        summary: "a subscriber's next-best offers from the latest cross-sell model",
        params: {
          type: 'object',
          properties: { msisdn: { type: 'string', pattern: '^[0-9]{11}$' } },
          required: ['msisdn'],
        },
      },
    },
    async (request) => {
      const { msisdn } = request.params as { msisdn: string };
      await ensureMiningTables(deps.warehouse);
      const offers = await deps.warehouse.all(
        `SELECT o.offer_rank, o.service_id, s.name, o.score, o.propensity, o.rule_confidence, o.reason, o.model_version
         FROM mining_offers o LEFT JOIN services s USING (service_id)
         WHERE o.msisdn = ? AND o.model_version = (
           SELECT model_version FROM mining_models WHERE purpose = 'cross-sell' ORDER BY trained_at DESC LIMIT 1)
         ORDER BY o.offer_rank`,
        [msisdn],
      );
      return { offers };
    },
  );
}
