// The trigger-rule file format (YAML or JSON) as zod schemas. See docs/stream.md for the prose version.
import { z } from 'zod';
import { brands, signallingEvents } from '../../feeds/contract.ts';

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "30m", "90s", "2h", "7d" or a number of seconds → seconds. */
export const durationSchema = z.union([z.number().nonnegative(), z.string()]).transform((value, context) => {
  if (typeof value === 'number') return value;
  const match = DURATION.exec(value.trim());
  if (!match) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a duration: write 45s, 30m, 2h or 7d` });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * UNIT_SEC[match[2]!]!);
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'write a time of day as HH:MM');
export const quietHoursSchema = z.union([z.literal('off'), z.object({ from: clockTime, to: clockTime }).strict()]);

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const id = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, 'use letters, digits, _ . - (at most 64)');

export const geofenceSchema = z
  .object({
    id,
    name: z.string().optional(),
    cells: z.array(z.string().min(1)).optional(),
    area_type: oneOrMany(z.string()).optional(),
    county: oneOrMany(z.string()).optional(),
    region: oneOrMany(z.string()).optional(),
    centre: z
      .union([
        z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict(),
        z.object({ cell: z.string() }).strict(),
      ])
      .optional(),
    radius_m: z.number().positive().optional(),
  })
  .strict()
  .refine((g) => g.cells || g.area_type || g.county || g.region || g.centre, {
    message: 'a geofence needs cells, area_type, county, region or centre + radius_m',
  })
  .refine((g) => (g.radius_m === undefined) === (g.centre === undefined), {
    message: 'centre and radius_m go together',
  });

export const conditionSchema = z
  .object({
    event: oneOrMany(z.enum(signallingEvents)).default(['call_out']),
    peer: z
      .string()
      .regex(/^\d{1,20}$/, 'peer is a dialled number (digits)')
      .optional(),
    within: durationSchema,
    at_least: z.number().int().min(1).max(8).default(1),
  })
  .strict();

/**
 * A reward the rule grants once a behaviour, counted from the offer on, reaches a count within a
 * window: "5 queries to 12580 within 7 days → 5 yuan credit". One reward per offer (message sent).
 */
export const rewardSchema = z
  .object({
    event: z.enum(signallingEvents).default('call_out'),
    peer: z
      .string()
      .regex(/^\d{1,20}$/, 'peer is a dialled number (digits)')
      .optional(),
    count: z.number().int().min(1).max(1000),
    within: durationSchema.default(7 * 86400),
    kind: z.enum(['credit', 'gift']).default('credit'),
    /** Yuan of call credit (话费) for `credit`; a gift has none. */
    amount: z.number().min(0).max(10_000).multipleOf(0.01).default(0),
    description: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'credit' || r.amount > 0, { message: 'a credit reward needs an amount in yuan' });

export const ruleSchema = z
  .object({
    id,
    description: z.string().optional(),
    paused: z.boolean().default(false),
    where: z
      .object({
        geofences: oneOrMany(id),
        on: z.enum(['enter', 'inside', 'leave']).default('inside'),
        dwell: durationSchema.optional(),
      })
      .strict()
      .optional(),
    who: z
      .object({
        brands: z.array(z.enum(brands)).min(1).optional(),
        segments: z.array(z.string().min(1)).min(1).optional(),
        scores: z
          .array(
            z.object({ model: z.string().min(1), min: z.number().optional(), max: z.number().optional() }).strict(),
          )
          .optional(),
      })
      .strict()
      .default({}),
    behaviour: z
      .object({
        all: z.array(conditionSchema).default([]),
        none: z.array(conditionSchema).default([]),
      })
      .strict()
      .default({ all: [], none: [] }),
    message: z
      .object({
        text: z.string().min(1).max(500),
        variants: z.record(z.string(), z.string().min(1).max(500)).default({}),
      })
      .strict(),
    service: z.string().min(1).optional(),
    response_window: durationSchema.default(3 * 86400),
    control: z.number().min(0).max(0.9).optional(),
    cap_days: z.number().int().min(0).max(366).optional(),
    quiet_hours: quietHoursSchema.optional(),
    reward: rewardSchema.optional(),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    quiet_hours: quietHoursSchema.default({ from: '21:00', to: '08:00' }),
    control: z.number().min(0).max(0.9).default(0.1),
    cap_days: z.number().int().min(0).max(366).default(1),
    // Each geofence and rule is checked on its own (parse-rules.ts), so one bad entry hides no other.
    geofences: z.array(z.unknown()).default([]),
    rules: z.array(z.unknown()).default([]),
  })
  .strict();

export type RuleDefinition = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type ConditionDefinition = z.output<typeof conditionSchema>;
export type RewardDefinition = z.output<typeof rewardSchema>;
export type QuietHours = z.output<typeof quietHoursSchema>;
export type RuleFileDefaults = Pick<z.output<typeof ruleFileSchema>, 'quiet_hours' | 'control' | 'cap_days'>;
