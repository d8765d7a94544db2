// Campaigns over HTTP: the same content as a campaign file (as JSON), the lifecycle steps (approval
// needs campaigns.approve and a second person; the check is the domain's), the evaluation with the
// fields of `telmark campaign evaluate`, and the knowledge base. Thin: each route calls one function.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type KnowledgeList,
  approveCampaign,
  type CampaignActor,
  campaignStatuses,
  cancelCampaign,
  closeCampaign,
  createCampaign,
  editCampaign,
  evaluateCampaign,
  listCampaignSummaries,
  measureRound,
  pauseCampaign,
  resumeCampaign,
  searchKnowledge,
  showCampaign,
  startPilot,
  startRollout,
  suggestForService,
  validateContent,
} from '../../campaigns/index.ts';
import { defaultConfig } from '../../config/config.ts';
import { AppError } from '../../shared/errors.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['campaigns'];
const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^C\\d{4,9}$' } },
} as const;
const contentBody = {
  type: 'object',
  description: 'the content of a campaign file as JSON (see examples/campaigns/planted-offer.yaml)',
} as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;

export async function campaignsRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  const { warehouse, clock } = deps;
  // The channels' settings (local time offset, contact policy) come from the one configuration.
  // With the facts on ClickHouse the audiences and responses are read there, the state from the file.
  const facts = deps.facts.engine === 'clickhouse' ? deps.facts : undefined;
  const campaignDeps = { clock, channels: deps.channels ?? defaultConfig.channels, ...(facts ? { facts } : {}) };
  const actorOf = (request: FastifyRequest): CampaignActor => {
    const p = request.principal;
    if (!p) throw new AppError('AUTH_REQUIRED', 'sign in first');
    return { name: p.username, address: request.ip, rights: p.rights };
  };

  app.post(
    '/api/campaigns',
    {
      config: { right: 'campaigns.write' },
      schema: { tags, summary: 'create a campaign (draft) from the content of a campaign file', body: contentBody },
    },
    async (request, reply) => {
      const content = validateContent(request.body);
      const campaign = await createCampaign(warehouse, content, actorOf(request), campaignDeps);
      reply.code(201);
      return { campaign, earlier: await suggestForService(warehouse, campaign.serviceId) };
    },
  );

  app.get(
    '/api/campaigns',
    {
      config: { right: 'campaigns.read' },
      schema: {
        tags,
        summary: 'campaigns, newest first, with their rounds (for the list and the calendar)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: [...campaignStatuses] }, service: text(64) },
        },
      },
    },
    async (request) => listCampaignSummaries(warehouse, request.query),
  );

  app.get(
    '/api/campaigns/:id',
    {
      config: { right: 'campaigns.read' },
      schema: {
        tags,
        summary: 'one campaign: content, rounds, history, earlier campaigns of its service',
        params: idParams,
      },
    },
    async (request) => showCampaign(warehouse, request.params.id),
  );

  app.put(
    '/api/campaigns/:id',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'a new version of the content; a changed audience, text or schedule needs approval again',
        params: idParams,
        body: contentBody,
      },
    },
    async (request) => ({
      campaign: await editCampaign(
        warehouse,
        request.params.id,
        validateContent(request.body),
        actorOf(request),
        campaignDeps,
      ),
    }),
  );

  app.post(
    '/api/campaigns/:id/approve',
    {
      config: { right: 'campaigns.approve' },
      schema: { tags, summary: 'approve a draft (never by its maker)', params: idParams },
    },
    async (request) => ({
      campaign: await approveCampaign(warehouse, request.params.id, actorOf(request), campaignDeps),
    }),
  );

  app.post(
    '/api/campaigns/:id/pilot',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'start a pilot (or a correction pilot): sample, control group, messages queued',
        params: idParams,
      },
    },
    async (request) => ({ round: await startPilot(warehouse, request.params.id, actorOf(request), campaignDeps) }),
  );

  app.post(
    '/api/campaigns/:id/evaluate',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'evaluate the latest round, discover uplift rules on a pilot, and store both on the round',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { round: { type: 'integer', minimum: 1 }, discover: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return evaluateCampaign(warehouse, request.params.id, actorOf(request), campaignDeps, body);
    },
  );

  app.get(
    '/api/campaigns/:id/evaluation',
    {
      config: { right: 'campaigns.read' },
      schema: {
        tags,
        summary:
          'the evaluation of a round as of the orders loaded now (contacted, control, responders, uplift, ci_low, ci_high, p_value, rules, by county, brand, segment and day)',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { round: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request) => measureRound(warehouse, request.params.id, request.query.round, facts),
  );

  app.post(
    '/api/campaigns/:id/rollout',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'roll out, narrowed to the rules found on the pilot (unless narrow is false), with its own control',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { narrow: { type: 'boolean' } } },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return { round: await startRollout(warehouse, request.params.id, actorOf(request), campaignDeps, body) };
    },
  );

  app.post(
    '/api/campaigns/:id/close',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'close the campaign and write its summary, with the lessons entered, to the knowledge base',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { lessons: text(4000) } },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return { knowledge: await closeCampaign(warehouse, request.params.id, actorOf(request), campaignDeps, body) };
    },
  );

  app.post(
    '/api/campaigns/:id/cancel',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'cancel a campaign that is not closed',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { reason: text(1000) } },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      return {
        campaign: await cancelCampaign(warehouse, request.params.id, actorOf(request), campaignDeps, body.reason),
      };
    },
  );

  app.post(
    '/api/campaigns/:id/pause',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary:
          'pause a running campaign: its pending outbox messages are held (not sent) until resume; the evaluation stays readable',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { reason: text(1000) } },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      const { campaign, messages } = await pauseCampaign(
        warehouse,
        request.params.id,
        actorOf(request),
        campaignDeps,
        body.reason,
      );
      return { campaign, held: messages };
    },
  );

  app.post(
    '/api/campaigns/:id/resume',
    {
      config: { right: 'campaigns.write' },
      schema: {
        tags,
        summary: 'resume a paused campaign: the messages its pause held go back to the sender',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: {} },
      },
    },
    async (request) => {
      const { campaign, messages } = await resumeCampaign(warehouse, request.params.id, actorOf(request), campaignDeps);
      return { campaign, released: messages };
    },
  );

  app.get(
    '/api/campaign-knowledge',
    {
      config: { right: 'campaigns.read' },
      schema: {
        tags,
        summary:
          'the knowledge base of closed campaigns, searchable by service, segment, county, channel, season and result',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            service: text(64),
            segment: text(100),
            county: text(100),
            channel: { type: 'string', enum: ['sms', 'email'] },
            season: { type: 'string', enum: ['spring', 'summer', 'autumn', 'winter'] },
            result: { type: 'string', enum: ['positive', 'none', 'negative'] },
            text: text(200),
          },
        },
      },
    },
    async (request): Promise<KnowledgeList> => ({ entries: await searchKnowledge(warehouse, request.query) }),
  );
}
