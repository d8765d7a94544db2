// Real-time triggers over HTTP: stream status, the live area view (the table of the 12580 case and the
// cell map), recent decisions, rule edits without restart, and triggered-vs-control effect.
// The live parts need the stream to run in this process (`telmark stream --serve`); rules and effect
// also work from the warehouse alone.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import {
  describePlace,
  describeRuleEffect,
  type GeofenceList,
  type RuleList,
  getLiveStream,
  readLiveMap,
  manageGeofences,
  manageRules,
  readLiveAreas,
  readRecentDecisions,
} from '../../stream/index.ts';
import type { RouteDeps } from '../server.ts';

const ruleId = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$' } },
  required: ['id'],
} as const;
const tags = ['stream'];

export async function streamRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  // Cells and services named by rules and geofences are checked against the facts (the file or the cluster).
  const rules = manageRules({ warehouse: deps.warehouse, facts: deps.facts, clock: deps.clock, live: getLiveStream });

  app.get(
    '/api/stream/status',
    {
      config: { right: 'stream.read' },
      schema: { tags, summary: 'whether a stream runs in this server, its source and counters' },
    },
    async () => {
      const live = getLiveStream();
      if (!live) return { running: false };
      const e = live.engine;
      return {
        running: true,
        source: live.source.description,
        counters: e.counters,
        position: e.position,
        watermark: e.watermarkMs > 0 ? new Date(e.watermarkMs).toISOString().replace('T', ' ').slice(0, 19) : null,
        subscribers: e.state.count,
        rules: e.rules.list().length,
      };
    },
  );

  app.get(
    '/api/stream/areas',
    {
      // The engine's counts (or the workers' reports) and the decisions' outcomes in the file: no facts.
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary:
          'per area: present now, callers of 114 and 12580 in the window, triggers, messages sent, delivered and failed, responses; cells for the map',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { window: { type: 'integer', minimum: 60, maximum: 86400, default: 1800 } },
        },
      },
    },
    async (request) => readLiveAreas(deps.warehouse, getLiveStream(), { windowSec: request.query.window }),
  );

  app.get(
    '/api/stream/decisions',
    {
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary: 'the latest decisions in the outbox (sent, held out as control, suppressed with the reason)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        },
      },
    },
    // Phone numbers are masked by the access plugin for callers without `msisdn.unmasked`.
    async (request) => ({
      decisions: await readRecentDecisions(deps.warehouse, { limit: request.query.limit }),
    }),
  );

  app.get(
    '/api/stream/rules',
    { config: { right: 'stream.read' }, schema: { tags, summary: 'trigger rules with version and paused state' } },
    async (): Promise<RuleList> => ({
      rules: await rules.list(),
    }),
  );

  app.put(
    '/api/stream/rules/:id',
    {
      config: { right: 'rules.write' },
      schema: {
        tags,
        summary: 'add or replace a rule (validated; applied to the running stream at once)',
        params: ruleId,
        body: { type: 'object' },
      },
    },
    async (request) => rules.put(request.params.id, request.body),
  );

  app.post(
    '/api/stream/rules/:id/pause',
    { config: { right: 'rules.write' }, schema: { tags, summary: 'pause a rule', params: ruleId } },
    async (request) => rules.setPaused(request.params.id, true),
  );

  app.post(
    '/api/stream/rules/:id/resume',
    { config: { right: 'rules.write' }, schema: { tags, summary: 'resume a paused rule', params: ruleId } },
    async (request) => rules.setPaused(request.params.id, false),
  );

  app.delete(
    '/api/stream/rules/:id',
    { config: { right: 'rules.write' }, schema: { tags, summary: 'remove a rule', params: ruleId } },
    async (request, reply) => {
      await rules.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  const geofences = manageGeofences({
    warehouse: deps.warehouse,
    facts: deps.facts,
    clock: deps.clock,
    live: getLiveStream,
  });

  app.get(
    '/api/stream/geofences',
    {
      config: { right: 'stream.read' },
      schema: { tags, summary: 'geofences (with their cell counts when a stream runs)' },
    },
    async (): Promise<GeofenceList> => ({
      geofences: await geofences.list(),
    }),
  );

  app.put(
    '/api/stream/geofences/:id',
    {
      config: { right: 'rules.write' },
      schema: {
        tags,
        summary:
          'add or replace a geofence (cells, area_type/county/region, or centre + radius_m); rules see it at once',
        params: ruleId,
        body: { type: 'object' },
      },
    },
    async (request) => geofences.put(request.params.id, request.body),
  );

  app.get(
    '/api/stream/effect',
    {
      config: { right: 'stream.read', facts: 'duckdb-only' },
      schema: {
        tags,
        summary:
          'per rule (and area): response of triggered subscribers against the held-out control, the uplift with its 95 % interval, and area names in both languages',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { byArea: { type: 'boolean', default: false } },
        },
      },
    },
    async (request) => describeRuleEffect(deps.warehouse, getLiveStream(), { byArea: request.query.byArea }),
  );

  app.get(
    '/api/stream/map',
    {
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary:
          'the live map: county outlines (GeoJSON traced from the cells), cells with subscribers present and callers of 114/12580, geofences as shapes',
      },
    },
    async () => readLiveMap(deps.warehouse, getLiveStream(), deps.facts),
  );

  app.get(
    '/api/stream/map/:kind/:id',
    {
      config: { right: 'stream.read' },
      schema: {
        tags,
        summary: 'a cell, geofence (area) or county: subscribers present now by brand, and the rules that watch it',
        params: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ['cell', 'area', 'county'] },
            id: { type: 'string', minLength: 1, maxLength: 100 },
          },
          required: ['kind', 'id'],
        },
      },
    },
    async (request) => describePlace(deps.warehouse, getLiveStream(), request.params, deps.facts),
  );
}
