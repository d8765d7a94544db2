// The answer of GET /api/stream/rewards as the route's response schema: fastify serialises with it,
// and the type provider checks listRewards() against it at compile time. The rewards page reads the
// same shape as RewardsList (src/stream).
import type { FromSchema } from 'json-schema-to-ts';

const nullableString = { type: ['string', 'null'] } as const;

export const rewardsAnswerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rewards', 'byRule'],
  properties: {
    rewards: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'reward_id',
          'rule_id',
          'msisdn',
          'kind',
          'amount',
          'description',
          'behaviour',
          'count',
          'offered_at',
          'reached_at',
          'granted_at',
          'status',
          'export_batch',
        ],
        properties: {
          reward_id: { type: 'string' },
          rule_id: { type: 'string' },
          msisdn: { type: 'string' },
          kind: { type: 'string' },
          amount: { type: 'number' },
          description: { type: 'string' },
          behaviour: { type: 'string' },
          count: { type: 'integer' },
          offered_at: { type: 'string' },
          reached_at: { type: 'string' },
          granted_at: { type: 'string' },
          status: { type: 'string' },
          export_batch: nullableString,
        },
      },
    },
    byRule: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule_id', 'status', 'rewards', 'amount_yuan'],
        properties: {
          rule_id: { type: 'string' },
          status: { type: 'string' },
          rewards: { type: 'integer' },
          amount_yuan: { type: 'number' },
        },
      },
    },
  },
} as const;

export type RewardsAnswer = FromSchema<typeof rewardsAnswerSchema>;
