// Mining over HTTP: association rules on the warehouse (rules explorer), the fitted models with their
// held-out figures, churn training off the request thread, and a subscriber's next-best offers.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { listWarehouseRules } from '../../mining/rules/index.ts';
import {
  fitChurnModel,
  listModels,
  type OfferList,
  readModelReport,
  readOffers,
  segmentSubscribers,
} from '../../mining/telecom/index.ts';
import { modelListSchema, offerListSchema } from '../schemas/mining-schemas.ts';
import type { RouteDeps } from '../server.ts';
import { cachedAnswer } from './cached-answer.ts';

export async function miningRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/mining/rules',
    {
      // Mines the warehouse's baskets on each call: a few a minute per address is plenty.
      config: { right: 'mining.read', rateLimit: { max: 30, timeWindow: '1 minute' }, facts: 'duckdb-only' },
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
      const { maxLen, ...q } = request.query;
      return listWarehouseRules(deps.warehouse, { ...q, maxLength: maxLen });
    },
  );

  app.get(
    '/api/mining/models',
    {
      config: { right: 'mining.read', facts: 'duckdb-only' },
      schema: {
        tags: ['mining'],
        summary:
          'the fitted models: version, purpose, kind, held-out AUC and baseline, the verdict in words, and the best',
        response: { 200: modelListSchema },
      },
    },
    async () => listModels(deps.warehouse),
  );

  app.get(
    '/api/mining/models/:version',
    {
      config: { right: 'mining.read', facts: 'duckdb-only' },
      schema: {
        tags: ['mining'],
        summary:
          'one model report: held-out ROC curve, gain/lift by decile, importance, tree rules or cross-sell affinities',
        params: { type: 'object', properties: { version: { type: 'string', maxLength: 200 } }, required: ['version'] },
      },
    },
    async (request) => readModelReport(deps.warehouse, request.params.version),
  );

  app.post(
    '/api/mining/churn',
    {
      config: { right: 'mining.train', facts: 'duckdb-only' },
      schema: {
        tags: ['mining'],
        summary: 'fit the churn model (gbdt against a logistic baseline) on a worker thread and score open accounts',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            model: { type: 'string', enum: ['gbdt', 'tree', 'forest', 'logistic', 'mlp'], default: 'gbdt' },
            seed: { type: 'integer', minimum: 0, maximum: 2147483647, default: 1 },
          },
        },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return fitChurnModel(deps.warehouse, {
        clock: deps.clock,
        model: body.model,
        seed: body.seed,
        inWorker: true,
        signal: deps.closing,
      });
    },
  );

  app.get(
    '/api/mining/segments',
    {
      // k-means over every subscriber on each call.
      config: { right: 'mining.read', rateLimit: { max: 20, timeWindow: '1 minute' }, facts: 'duckdb-only' },
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
            seed: { type: 'integer', minimum: 0, maximum: 2147483647, default: 1 },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      // Kept until the data changes: the same parameters on the same data give the same segments.
      return cachedAnswer(deps, reply, '/api/mining/segments', q, (warehouse) => segmentSubscribers(warehouse, q));
    },
  );

  app.get(
    '/api/mining/offers/:msisdn',
    {
      config: { right: 'customer.view', facts: 'duckdb-only' },
      schema: {
        tags: ['mining'],
        summary: "a subscriber's next-best offers from the latest cross-sell model",
        params: {
          type: 'object',
          properties: { msisdn: { type: 'string', pattern: '^[0-9]{11}$' } },
          required: ['msisdn'],
        },
        response: { 200: offerListSchema },
      },
    },
    async (request): Promise<OfferList> => ({ offers: await readOffers(deps.warehouse, request.params.msisdn) }),
  );
}
