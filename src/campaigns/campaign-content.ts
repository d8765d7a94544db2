// What a campaign is: the content of a campaign file (YAML for `telmark campaign create --file`, the
// same content as JSON for POST /api/campaigns). One zod schema for both, so the two cannot drift.
import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
// The audience tree is checked by the audience compiler (which knows every leaf); here it must be an object.
const audienceNode = z.record(z.string(), z.unknown());

export const campaignContentSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The promoted service (a service_id of the services feed): ordering it is the response. */
    service: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a service_id such as music'),
    offer: z.string().max(500).default(''),
    channel: z.enum(['sms', 'email']).default('sms'),
    message: z
      .object({
        text: z.string().trim().min(1).max(1000),
        subject: z.string().max(200).optional(),
        /** Per-segment texts: the first variant whose condition holds for a subscriber is sent to them. */
        variants: z
          .array(z.object({ when: audienceNode, text: z.string().trim().min(1).max(1000) }).strict())
          .max(20)
          .default([]),
      })
      .strict(),
    audience: audienceNode,
    schedule: z.object({ start: day, end: day.optional() }).strict(),
    responseWindowDays: z.number().int().min(1).max(90).default(7),
    costPerMessageYuan: z.number().min(0).max(100).default(0),
    pilot: z
      .object({
        /** How many of the audience the pilot draws (contacted + control), or which share of it. */
        sample: z.number().int().min(1).optional(),
        share: z.number().gt(0).max(1).optional(),
        controlShare: z.number().min(0.01).max(0.5).default(0.1),
      })
      .strict()
      .default({ controlShare: 0.1 }),
    rollout: z
      .object({ controlShare: z.number().min(0.01).max(0.5).default(0.1) })
      .strict()
      .default({ controlShare: 0.1 }),
  })
  .strict()
  .refine((c) => !c.schedule.end || c.schedule.end >= c.schedule.start, {
    message: 'must not be before schedule.start',
    path: ['schedule', 'end'],
  });

export type CampaignContent = z.infer<typeof campaignContentSchema>;
export type CampaignInput = z.input<typeof campaignContentSchema>;
export type AudienceNode = Record<string, unknown>;

/** The parts whose change needs approval again (the maker–checker rule). */
export function approvalRelevant(content: CampaignContent): string {
  return JSON.stringify({ audience: content.audience, message: content.message, schedule: content.schedule });
}
