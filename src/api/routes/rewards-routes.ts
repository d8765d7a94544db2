// Rewards granted by trigger rules and the mined results the rules read: the rewards list for the
// page, the BOSS file to download (a preview that changes nothing) and the export that marks them
// exported. Phone numbers are masked by the access plugin for callers without `msisdn.unmasked`; the
// marking export needs that right, since BOSS can only fulfil a reward from the full number. A reload
// reads the stored scores and segments into the running stream after a model was trained.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { exportRewards, listRewards, reloadModelResults, rewardStatuses } from '../../stream/index.ts';
import { rewardsAnswerSchema } from '../schemas/rewards-schemas.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['stream'];
const statusQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...rewardStatuses] } },
} as const;

export async function rewardsRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/stream/rewards',
    {
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary: 'rewards granted by trigger rules, latest first, with totals per rule and status',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...rewardStatuses] },
            rule: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$' },
            limit: { type: 'integer', minimum: 1, maximum: 2000, default: 500 },
          },
        },
        response: { 200: rewardsAnswerSchema },
      },
    },
    async (request) => {
      const query = request.query;
      return listRewards(deps.warehouse, query);
    },
  );

  app.get(
    '/api/stream/rewards/export.csv',
    {
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary: 'the BOSS reward file of one status (pending by default); marks nothing',
        querystring: statusQuery,
      },
    },
    async (request, reply) => {
      const { status } = request.query;
      const exported = await exportRewards(deps.warehouse, { clock: deps.clock, status, mark: false });
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="telmark-rewards-${status ?? 'pending'}.csv"`);
      return exported.csv;
    },
  );

  app.post(
    '/api/stream/rewards/export',
    {
      config: { right: 'msisdn.unmasked' },
      schema: {
        tags,
        summary: 'export the pending rewards for BOSS and mark them exported (each reward goes out once)',
        querystring: statusQuery,
      },
    },
    async (request, reply) => {
      const { status } = request.query;
      const exported = await exportRewards(deps.warehouse, { clock: deps.clock, status, mark: true });
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exported.batch}.csv"`)
        .header('x-telmark-rewards', String(exported.rows));
      return exported.csv;
    },
  );

  app.post(
    '/api/stream/model-results/reload',
    {
      config: { right: 'rules.write', facts: 'duckdb-only' },
      schema: {
        tags,
        summary: 'read the stored churn and propensity scores and segments into the running stream again',
      },
    },
    async () => reloadModelResults(deps.warehouse),
  );
}
