// The answers of GET /api/mining/models and GET /api/mining/offers/{msisdn} as the routes' response
// schemas: fastify serialises with them, and the type provider checks listModels() and readOffers()
// against them at compile time. The model page reads the same shapes as ModelList and OfferList
// (src/mining/telecom).
import type { FromSchema } from 'json-schema-to-ts';
import { bilingualSchema } from './dimension-schemas.ts';

const nullableNumber = { type: ['number', 'null'] } as const;

export const modelListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['models', 'best'],
  properties: {
    models: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'model_version',
          'purpose',
          'purposeLabel',
          'kind',
          'trained_at',
          'rows',
          'auc',
          'baseline_auc',
          'method',
          'beatsBaseline',
          'verdict',
        ],
        properties: {
          model_version: { type: 'string' },
          purpose: { type: 'string' },
          purposeLabel: bilingualSchema,
          kind: { type: 'string' },
          trained_at: { type: 'string' },
          rows: { type: 'number' },
          auc: nullableNumber,
          baseline_auc: nullableNumber,
          method: { type: 'string' },
          beatsBaseline: { type: ['boolean', 'null'] },
          verdict: bilingualSchema,
        },
      },
    },
    best: { type: ['string', 'null'] },
  },
} as const;

export const offerListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['offers'],
  properties: {
    offers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'offer_rank',
          'service_id',
          'name',
          'score',
          'propensity',
          'rule_confidence',
          'reason',
          'model_version',
          'label',
          'reasonText',
        ],
        properties: {
          offer_rank: { type: 'number' },
          service_id: { type: 'string' },
          name: { type: ['string', 'null'] },
          score: { type: 'number' },
          propensity: { type: 'number' },
          rule_confidence: { type: 'number' },
          reason: { type: 'string' },
          model_version: { type: 'string' },
          label: bilingualSchema,
          reasonText: bilingualSchema,
        },
      },
    },
  },
} as const;

export type ModelListAnswer = FromSchema<typeof modelListSchema>;
export type OfferListAnswer = FromSchema<typeof offerListSchema>;
