// Audiences over HTTP: the builder's catalogue, a live preview, saved versions and the export of a
// saved audience as CSV (masked for callers without `msisdn.unmasked`, audited). Thin: each route
// parses its input, calls one domain function and shapes the answer.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import {
  type AudienceHistory,
  type AudienceList,
  exportAudience,
  getAudienceVersions,
  getAudience,
  listAudiences,
  loadAudienceCatalogue,
  previewAudience,
  saveAudience,
} from '../../campaigns/audiences/index.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['audiences'];
const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/** The tree is checked node by node by the domain, which names the path of each problem. */
const definition = { type: 'object', description: 'the audience tree (docs/audiences.md)' } as const;
const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

export async function audienceRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  const { warehouse, clock } = deps;
  // With the facts on ClickHouse the members are read there; saved audiences and the audit stay in the file.
  const facts = deps.facts.engine === 'clickhouse' ? deps.facts : undefined;

  app.get(
    '/api/audiences/catalogue',
    {
      config: { right: 'campaigns.read', facts: 'duckdb-only' },
      schema: {
        tags,
        summary: 'the fields, values, services, bands and model versions an audience can use, with labels',
      },
    },
    async () => loadAudienceCatalogue(warehouse),
  );

  app.post(
    '/api/audiences/preview',
    {
      config: { right: 'campaigns.read' },
      schema: {
        tags,
        summary: 'size of an audience with its breakdown by county and brand',
        body: {
          type: 'object',
          required: ['definition'],
          additionalProperties: false,
          properties: { definition, asOf: day },
        },
      },
    },
    async (request) => {
      const body = request.body;
      return previewAudience(facts ?? warehouse, body.definition, body.asOf ? { asOf: body.asOf } : {});
    },
  );

  app.get(
    '/api/audiences',
    { config: { right: 'campaigns.read' }, schema: { tags, summary: 'saved audiences, the latest version of each' } },
    async (): Promise<AudienceList> => ({ audiences: await listAudiences(warehouse) }),
  );

  app.post(
    '/api/audiences',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'save an audience: a new one, or a new version of `id`',
        body: {
          type: 'object',
          required: ['name', 'definition'],
          additionalProperties: false,
          properties: {
            id: { type: 'integer', minimum: 1 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            definition,
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const saved = await saveAudience(warehouse, {
        ...body,
        createdBy: request.principal?.username ?? 'unknown',
        clock,
      });
      return reply.code(201).send(saved);
    },
  );

  app.get(
    '/api/audiences/:id',
    {
      config: { right: 'campaigns.read' },
      schema: { tags, summary: 'every version of a saved audience, newest first', params: idParams },
    },
    async (request): Promise<AudienceHistory> => {
      const { id } = request.params;
      const versions = await getAudienceVersions(warehouse, id);
      return { id, name: versions[0]!.name, latestVersion: versions[0]!.version, versions };
    },
  );

  app.get(
    '/api/audiences/:id/export',
    {
      // A list of customers leaving the system: for those who run campaigns, not every reader.
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'the saved audience as CSV (msisdn, county, brand); numbers masked without msisdn.unmasked',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { version: { type: 'integer', minimum: 1 }, asOf: day },
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const query = request.query;
      const audience = await getAudience(warehouse, id, query.version);
      const result = await exportAudience(warehouse, {
        ...(facts ? { facts } : {}),
        definition: audience.definition,
        ...(query.asOf ? { asOf: query.asOf } : {}),
        unmasked: request.principal?.rights.has('msisdn.unmasked') === true,
        actor: request.principal?.username ?? 'unknown',
        address: request.ip,
        clock,
        audience: { id: audience.id, version: audience.version },
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audience-${audience.id}-v${audience.version}.csv"`)
        .send(result.csv);
    },
  );
}
