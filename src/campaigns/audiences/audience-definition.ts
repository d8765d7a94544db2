// An audience is a JSON tree of conditions (shared contract with the campaign and uplift work):
// combinators all/any/not, attribute leaves (`in` a list, `between` two bounds), and leaves on
// holdings, usage, segments, model scores and association rules. The tree is data: it is stored,
// versioned and compiled to parameterised SQL (compile-audience.ts), never pasted into SQL text.
import { z } from 'zod';

/** Attributes with a set of values: `{ attribute, in: [...] }`. */
export const categoricalAttributes = ['brand', 'county', 'plan', 'gender', 'area_type'] as const;
/** Attributes with a number: `{ attribute, between: [low, high] }` (low inclusive, high exclusive). */
export const numericAttributes = ['age', 'tenure_months', 'arpu'] as const;
export const attributeNames = [...categoricalAttributes, ...numericAttributes] as const;
export type CategoricalAttribute = (typeof categoricalAttributes)[number];
export type NumericAttribute = (typeof numericAttributes)[number];
export type AttributeName = (typeof attributeNames)[number];

/** Per-subscriber activity counted from agg_subscriber_day: `{ usage, withinDays, between }`. */
export const usageMeasures = [
  'sms_out',
  'calls_out',
  'calls_in',
  'call_seconds',
  'ivr_calls',
  'wap_visits',
  'vas_events',
] as const;
export type UsageMeasure = (typeof usageMeasures)[number];

/** The warehouse's segment bands (the same CASE expressions as the KPI segments). */
export const segmentBands = ['age_band', 'tenure_band', 'arpu_band'] as const;
export type SegmentBand = (typeof segmentBands)[number];

/** Stored model scores: churn (one score a subscriber) and service propensity (one per service). */
export const scoreKinds = ['churn', 'propensity'] as const;
export type ScoreKind = (typeof scoreKinds)[number];

const text = z.string().min(1).max(200);
const bound = z.number().finite().nullable();
const days = z.number().int().min(1).max(3660);

export const attributeInSchema = z.strictObject({
  attribute: z.enum(attributeNames),
  in: z.array(text).min(1).max(1000),
});
export const attributeBetweenSchema = z.strictObject({
  attribute: z.enum(attributeNames),
  between: z.tuple([bound, bound]),
});
export const holdsSchema = z.strictObject({ holds: text });
export const lacksSchema = z.strictObject({ lacks: text });
/** Cancelled the service within the last N days up to the audience's day (ended_on in (day - N, day]). */
export const cancelledSchema = z.strictObject({ cancelled: text, withinDays: days });
/** Used a service at least `atLeast` times (default 1) in the last N days. */
export const usesSchema = z.strictObject({ uses: text, withinDays: days, atLeast: z.number().int().min(1).optional() });
/** A subscriber-level activity total over the last N days between two bounds (no activity counts as 0). */
export const usageSchema = z.strictObject({
  usage: z.enum(usageMeasures),
  withinDays: days,
  between: z.tuple([bound, bound]),
});
export const segmentSchema = z.strictObject({ segment: z.enum(segmentBands), in: z.array(text).min(1).max(100) });
/** The top N scores, or the scores at or above a value, of one stored model version. */
export const scoreSchema = z.strictObject({
  score: z.enum(scoreKinds),
  modelVersion: text,
  service: text.optional(),
  top: z.number().int().min(1).max(100_000_000).optional(),
  atLeast: z.number().finite().optional(),
});
/** An association rule's target: holds every service of the left side, lacks every one of the right. */
export const ruleSchema = z.strictObject({
  rule: z.strictObject({ lhs: z.array(text).min(1).max(20), rhs: z.array(text).min(1).max(20) }),
});

export type AttributeIn = z.infer<typeof attributeInSchema>;
export type AttributeBetween = z.infer<typeof attributeBetweenSchema>;
export type HoldsLeaf = z.infer<typeof holdsSchema>;
export type LacksLeaf = z.infer<typeof lacksSchema>;
export type CancelledLeaf = z.infer<typeof cancelledSchema>;
export type UsesLeaf = z.infer<typeof usesSchema>;
export type UsageLeaf = z.infer<typeof usageSchema>;
export type SegmentLeaf = z.infer<typeof segmentSchema>;
export type ScoreLeaf = z.infer<typeof scoreSchema>;
export type RuleLeaf = z.infer<typeof ruleSchema>;

export type AudienceLeaf =
  | AttributeIn
  | AttributeBetween
  | HoldsLeaf
  | LacksLeaf
  | CancelledLeaf
  | UsesLeaf
  | UsageLeaf
  | SegmentLeaf
  | ScoreLeaf
  | RuleLeaf;

export type AudienceDefinition =
  | { all: AudienceDefinition[] }
  | { any: AudienceDefinition[] }
  | { not: AudienceDefinition }
  | AudienceLeaf;

/**
 * The whole tree as one zod schema (for types and documentation). parseAudienceDefinition validates
 * node by node instead, so that an error names the one branch that is wrong rather than every
 * alternative of a union.
 */
export const audienceDefinitionSchema: z.ZodType<AudienceDefinition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(audienceDefinitionSchema).max(200) }),
    z.strictObject({ any: z.array(audienceDefinitionSchema).min(1).max(200) }),
    z.strictObject({ not: audienceDefinitionSchema }),
    attributeInSchema,
    attributeBetweenSchema,
    holdsSchema,
    lacksSchema,
    cancelledSchema,
    usesSchema,
    usageSchema,
    segmentSchema,
    scoreSchema,
    ruleSchema,
  ]),
);

/** The key that tells a node's kind, in the order they are tried. */
export const leafSchemas = {
  attribute: null,
  holds: holdsSchema,
  lacks: lacksSchema,
  cancelled: cancelledSchema,
  uses: usesSchema,
  usage: usageSchema,
  segment: segmentSchema,
  score: scoreSchema,
  rule: ruleSchema,
} as const;

export function isCategorical(name: AttributeName): name is CategoricalAttribute {
  return (categoricalAttributes as readonly string[]).includes(name);
}

/** The whole active base. */
export const wholeBase: AudienceDefinition = { all: [] };
