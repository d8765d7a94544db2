// The call centre's customer profile: one customer by exact number (customer.view; the access plugin
// audits every view and keeps that one number unmasked), and the outcome of an offer
// (customer.record). No list or bulk route: a profile is reached only through its number.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { outcomes, ProfileReferenceCache, readCustomerProfile, recordCustomerOutcome } from '../../customers/index.ts';
import { describeLiveSubscriber, getLiveStream } from '../../stream/index.ts';
import type { RouteDeps } from '../server.ts';

const msisdnParams = {
  type: 'object',
  additionalProperties: false,
  // The format is checked by the domain, which says what is wrong with the number.
  properties: { msisdn: { type: 'string', maxLength: 40, description: 'the 11-digit mobile number' } },
  required: ['msisdn'],
} as const;

/** Today's facts from the stream running in this process, when one runs. */
const liveFacts = {
  factsOf(msisdn: string) {
    const session = getLiveStream();
    return session ? describeLiveSubscriber(session.engine, msisdn) : undefined;
  },
};

/**
 * How long the reads every profile shares (catalogue, latest models and rules, recent alerts) are kept:
 * an agent may see a new model or an acknowledged alert this late, and under load they cost one read
 * every two seconds instead of five per profile.
 */
const REFERENCE_LIFETIME_MS = 2000;

export async function customerRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  const references = new ProfileReferenceCache({ lifetimeMs: REFERENCE_LIFETIME_MS });
  app.get(
    '/api/customers/:msisdn',
    {
      // On a ClickHouse warehouse the facts and scores come from the cluster, the live rows from the file.
      config: { right: 'customer.view' },
      schema: {
        tags: ['customers'],
        summary: "one customer's profile for the call centre (by exact number; every view is audited)",
        params: msisdnParams,
      },
    },
    async (request) => {
      const { msisdn } = request.params;
      request.auditDetail = { view: 'customer profile' };
      const facts = deps.facts.engine === 'clickhouse' ? { facts: deps.facts } : {};
      const read = (reader: typeof deps.warehouse) =>
        readCustomerProfile(reader, msisdn, { clock: deps.clock, live: liveFacts, strict: true, references, ...facts });
      return deps.readers ? deps.readers.use(read) : read(deps.warehouse);
    },
  );

  app.post(
    '/api/customers/:msisdn/outcomes',
    {
      config: { right: 'customer.record', facts: 'duckdb-only' },
      schema: {
        tags: ['customers'],
        summary: 'record what the customer said to an offer (a response for campaign evaluation and training)',
        params: msisdnParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            serviceId: { type: 'string', minLength: 1, maxLength: 64 },
            outcome: { type: 'string', enum: [...outcomes] },
            offerRank: { type: 'integer', minimum: 1, maximum: 10 },
            offerSource: { type: 'string', enum: ['model', 'rules'] },
            modelVersion: { type: ['string', 'null'], maxLength: 128 },
          },
          required: ['serviceId', 'outcome'],
        },
      },
    },
    async (request, reply) => {
      const { msisdn } = request.params;
      const body = request.body;
      const recorded = await recordCustomerOutcome(deps.warehouse, deps.clock, {
        msisdn,
        ...body,
        agent: request.principal?.username ?? 'unknown',
        strict: true,
      });
      request.auditDetail = { serviceId: recorded.serviceId, outcome: recorded.outcome };
      reply.code(201);
      return recorded;
    },
  );
}
