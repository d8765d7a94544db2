// The answer of GET /api/dimensions, defined once: the route validates and serialises with this JSON
// schema, and the dashboard takes its TypeScript type from it (`import type`, nothing at run time),
// so the two cannot drift apart.
import type { FromSchema } from 'json-schema-to-ts';

export const bilingualSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['zh', 'en'],
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
} as const;

export const dimensionValueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: { value: { type: 'string' }, label: bilingualSchema, parent: { type: 'string' } },
} as const;

export const dimensionInfoSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'label', 'values'],
  properties: {
    name: { type: 'string' },
    label: bilingualSchema,
    values: { type: 'array', items: dimensionValueSchema },
  },
} as const;

export const dimensionCatalogueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['firstDay', 'lastDay', 'lastCompleteDay', 'incompleteDays', 'dimensions'],
  properties: {
    firstDay: { type: ['string', 'null'] },
    lastDay: { type: ['string', 'null'] },
    lastCompleteDay: { type: ['string', 'null'] },
    incompleteDays: { type: 'array', items: { type: 'string' } },
    dimensions: { type: 'array', items: dimensionInfoSchema },
  },
} as const;

export type DimensionValueAnswer = FromSchema<typeof dimensionValueSchema>;
export type DimensionInfoAnswer = FromSchema<typeof dimensionInfoSchema>;
export type DimensionCatalogueAnswer = FromSchema<typeof dimensionCatalogueSchema>;
