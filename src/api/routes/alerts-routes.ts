// Anomalies and alerts over HTTP: the findings, the alert groups (open, acknowledged, silenced,
// history), acknowledging (by the on-call person, by the e-mail link, by an SMS reply handed over
// by the channels' receiver), silences, and the routing configuration.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import {
  acknowledgeAlert,
  addSilence,
  loadAlertConfig,
  listAlertGroups,
  loadAlertGroups,
  runAlertRouting,
  saveAlertConfig,
} from '../../alerts/index.ts';
import { type AnomalyList, listAnomalies } from '../../anomalies/index.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['alerts'];
const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const token = { type: 'string', pattern: '^[A-Za-z0-9]{4,12}$' } as const;
const person = { type: 'string', minLength: 1, maxLength: 64 } as const;
const matcher = {
  type: 'object',
  additionalProperties: false,
  properties: {
    series: { type: 'string', maxLength: 300 },
    kpi: { type: 'string', maxLength: 64 },
    route: { type: 'string', maxLength: 64 },
    dimensions: { type: 'object', additionalProperties: { type: 'string', maxLength: 64 } },
  },
} as const;

export async function alertsRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  const { warehouse, clock } = deps;

  app.get(
    '/api/anomalies',
    {
      config: { right: 'alerts.read' },
      schema: {
        tags,
        summary: 'anomalies found by the warehouse detectors, newest day first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: day,
            to: day,
            severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
          },
        },
      },
    },
    async (request): Promise<AnomalyList> => {
      const q = request.query;
      return { anomalies: await listAnomalies(warehouse, q) };
    },
  );

  app.get(
    '/api/alerts',
    {
      config: { right: 'alerts.read' },
      schema: {
        tags,
        summary: 'alert groups (open, acknowledged, silenced) with their anomalies, and the silences',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: ['open', 'acknowledged', 'silenced'] } },
        },
      },
    },
    async (request) => listAlertGroups(warehouse, clock, request.query.status),
  );

  app.post(
    '/api/alerts/ack',
    {
      config: { right: 'alerts.ack' },
      schema: {
        tags,
        summary: 'acknowledge an alert group by its key or its code',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { key: { type: 'string', maxLength: 400 }, token, by: person },
        },
      },
    },
    async (request) => {
      const body = request.body;
      const code =
        body.token ?? (await loadAlertGroups(warehouse)).find((g) => g.key === body.key)?.ackToken ?? undefined;
      const group = await acknowledgeAlert(warehouse, { token: code ?? '', by: body.by ?? 'web' }, clock);
      return { acknowledged: group.key };
    },
  );

  // The link in alert e-mails: the code itself is the credential, as in any "confirm" link.
  app.get(
    '/api/alerts/ack-link',
    {
      config: { right: 'public' },
      schema: {
        tags,
        summary: 'acknowledge by the link of an alert e-mail',
        querystring: { type: 'object', additionalProperties: false, properties: { token }, required: ['token'] },
      },
    },
    async (request) => {
      const { token: code } = request.query;
      const group = await acknowledgeAlert(warehouse, { token: code, by: 'link' }, clock);
      return { acknowledged: group.key, summary: group.summary };
    },
  );

  app.post(
    '/api/alerts/reply',
    {
      config: { right: 'alerts.ack' },
      schema: {
        tags,
        summary: 'an SMS reply ("ACK 7K3Q9P", "确认 7K3Q9P") handed over by the channels receiver',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { from: person, text: { type: 'string', maxLength: 500 } },
          required: ['from', 'text'],
        },
      },
    },
    async (request) => {
      const { from, text } = request.body;
      const group = await acknowledgeAlert(warehouse, { replyText: text, by: from }, clock);
      return { acknowledged: group.key };
    },
  );

  app.post(
    '/api/alerts/silences',
    {
      config: { right: 'alerts.ack' },
      schema: {
        tags,
        summary: 'silence alerts matching series, KPI, dimension values or route for a while',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            matcher,
            minutes: { type: 'integer', minimum: 1, maximum: 129600 },
            comment: { type: 'string', maxLength: 500, default: '' },
            by: person,
          },
          required: ['matcher', 'minutes'],
        },
      },
    },
    async (request) => {
      const body = request.body;
      const silence = await addSilence(
        warehouse,
        { matcher: body.matcher, minutes: body.minutes, comment: body.comment, createdBy: body.by ?? 'web' },
        clock,
      );
      await runAlertRouting(warehouse, { clock });
      return { silence };
    },
  );

  app.get(
    '/api/alerts/config',
    { config: { right: 'alerts.configure' }, schema: { tags, summary: 'routes and on-call groups' } },
    async () => loadAlertConfig(warehouse),
  );

  app.put(
    '/api/alerts/config',
    {
      config: { right: 'alerts.configure' },
      schema: {
        tags,
        summary: 'replace the routes and on-call groups',
        body: {
          type: 'object',
          properties: { routes: { type: 'array', maxItems: 200 }, oncall: { type: 'array', maxItems: 200 } },
          required: ['routes', 'oncall'],
        },
      },
    },
    async (request) => {
      await saveAlertConfig(warehouse, request.body);
      return loadAlertConfig(warehouse);
    },
  );

  app.post(
    '/api/alerts/route',
    {
      config: { right: 'alerts.configure' },
      schema: { tags, summary: 'run alert routing now (repeats, escalations, expired silences)' },
    },
    async () => runAlertRouting(warehouse, { clock }),
  );
}
