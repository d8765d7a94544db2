// Channels over HTTP: the state of sending (sender, outbox, reasons, receipts per hour) and the outbox,
// searchable. Phone numbers are masked here (middle four digits) until the access-control layer masks
// them by role; a right `msisdn.unmasked` will then show them whole.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import { channelsStatus, listOutbox, messageStatuses, type OutboxList } from '../../channels/index.ts';
import type { RouteDeps } from '../server.ts';

const tags = ['channels'];
const mask = (value: unknown) => String(value).replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');

export async function channelsRoutes(fastify: FastifyInstance, deps: RouteDeps): Promise<void> {
  const app = fastify.withTypeProvider<JsonSchemaToTsProvider>();
  app.get(
    '/api/channels/status',
    {
      config: { right: 'channels.read' },
      schema: {
        tags,
        summary:
          'sending now (bound, rate, window in use, queue depth), the outbox by status, skips by reason, receipts per hour',
      },
    },
    async () => channelsStatus(deps.warehouse),
  );

  app.get(
    '/api/outbox',
    {
      config: { right: 'channels.read' },
      schema: {
        tags,
        summary: 'messages of the one outbox, newest first, filtered by status, channel, source and recipient',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...messageStatuses] },
            channel: { type: 'string', enum: ['sms', 'email'] },
            source: { type: 'string', maxLength: 100 },
            recipient: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (request): Promise<OutboxList> => {
      const rows = await listOutbox(deps.warehouse, request.query);
      return { messages: rows.map((r) => ({ ...r, recipient: mask(r.recipient) })) };
    },
  );
}
