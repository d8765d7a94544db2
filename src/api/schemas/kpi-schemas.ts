// The answer of GET /api/metrics as the route's response schema: fastify serialises with it (no SQL
// of a definition can leak into the answer), and the type provider checks describeMetrics() against
// it at compile time. The dashboard reads the same shape as MetricCatalogue (src/metrics).
import type { FromSchema } from 'json-schema-to-ts';
import { bilingualSchema } from './dimension-schemas.ts';

export const metricCatalogueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['metrics'],
  properties: {
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'label', 'description', 'unit', 'dimensions'],
        properties: {
          name: { type: 'string' },
          label: bilingualSchema,
          description: bilingualSchema,
          unit: { type: 'string', enum: ['count', 'ratio', 'yuan', 'per_user', 'seconds'] },
          dimensions: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

export type MetricCatalogueAnswer = FromSchema<typeof metricCatalogueSchema>;
