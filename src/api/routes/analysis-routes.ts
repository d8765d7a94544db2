// The business analyses over HTTP: /api/analysis/<kind> with the date range, grain, filters and (for
// the effect view) the before/after date. Each answer is an AnalysisResult (sections of chart + table).
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { analysisDefinitions, analysisKinds, runAnalysis } from '../../analysis/index.ts';
import type { RouteDeps } from '../server.ts';
import { cachedFactsAnswer } from './cached-answer.ts';
import { dateSchema, filterProperties, filtersFrom, grainProperty, rangeProperties } from './query-schemas.ts';

export async function analysisRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/analysis',
    {
      config: { right: 'kpi.read' },
      schema: { tags: ['analysis'], summary: 'the analyses: kind, title and accepted filters' },
    },
    async () => ({
      analyses: analysisDefinitions.map((a) => ({
        kind: a.kind,
        title: a.title,
        filters: a.filters,
        defaultGrain: a.defaultGrain,
      })),
    }),
  );

  app.get(
    '/api/analysis/:kind',
    {
      config: { right: 'kpi.read' },
      schema: {
        tags: ['analysis'],
        summary: 'one analysis: headline figures and sections, each with rows and a chart description',
        params: {
          type: 'object',
          properties: { kind: { type: 'string', enum: analysisKinds } },
          required: ['kind'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...rangeProperties,
            grain: grainProperty,
            cutover: { ...dateSchema, description: 'effect, ivr-menus: compare before and after this day' },
            geofence: {
              type: 'string',
              pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$',
              description: 'area-view: a stored geofence id',
            },
            fields: {
              type: 'string',
              pattern: '^[a-z]+(,[a-z]+)*$',
              maxLength: 100,
              description: 'area-view: comma-separated fields to show (present, brands, callers)',
            },
            ...filterProperties,
          },
        },
      },
    },
    async (request, reply) => {
      const { kind } = request.params;
      const query = request.query;
      // With the facts on a cluster, the file is the operational store (the marketing analysis's outbox).
      const state = deps.facts.engine === 'clickhouse' ? { state: deps.warehouse } : {};
      return cachedFactsAnswer(deps, reply, `/api/analysis/${kind}`, query, (warehouse) =>
        runAnalysis(
          warehouse,
          kind,
          {
            from: query.from,
            to: query.to,
            grain: query.grain,
            cutover: query.cutover,
            geofence: query.geofence,
            fields: query.fields?.split(','),
            filters: filtersFrom(query),
          },
          state,
        ),
      );
    },
  );
}
