// KPIs over HTTP: the catalogue of metrics and dimensions, and one metric with breakdown and filters.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { cachedDimensionCatalogue, describeMetrics, metricDefinitions, queryMetric } from '../../metrics/index.ts';
import { dimensionCatalogueSchema } from '../schemas/dimension-schemas.ts';
import { metricCatalogueSchema } from '../schemas/kpi-schemas.ts';
import type { RouteDeps } from '../server.ts';
import { cachedFactsAnswer } from './cached-answer.ts';
import { filterProperties, filtersFrom, rangeProperties } from './query-schemas.ts';

export async function kpiRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/metrics',
    {
      config: { right: 'kpi.read' },
      schema: {
        tags: ['kpi'],
        summary: 'the KPI catalogue: names, labels, units, allowed dimensions',
        response: { 200: metricCatalogueSchema },
      },
    },
    async () => describeMetrics(),
  );

  app.get(
    '/api/dimensions',
    {
      config: { right: 'kpi.read' },
      schema: {
        tags: ['kpi'],
        summary: 'every dimension with its known values (for filters), and the loaded date range',
        response: { 200: dimensionCatalogueSchema },
      },
    },
    async () => cachedDimensionCatalogue(deps.facts),
  );

  app.get(
    '/api/kpi/:metric',
    {
      config: { right: 'kpi.read' },
      schema: {
        tags: ['kpi'],
        summary: 'one KPI, optionally broken down by time grain and dimensions, with filters',
        params: {
          type: 'object',
          properties: { metric: { type: 'string', enum: metricDefinitions.map((m) => m.name) } },
          required: ['metric'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            by: {
              type: 'string',
              pattern: '^[a-z_]+(,[a-z_]+)*$',
              description: 'comma-separated breakdown, e.g. month,county',
            },
            ...rangeProperties,
            ...filterProperties,
          },
        },
      },
    },
    async (request, reply) => {
      const { metric } = request.params;
      const query = request.query;
      return cachedFactsAnswer(deps, reply, `/api/kpi/${metric}`, query, (warehouse) =>
        queryMetric(warehouse, metric, {
          by: query.by ? query.by.split(',') : [],
          filters: filtersFrom(query),
          from: query.from,
          to: query.to,
        }),
      );
    },
  );
}
