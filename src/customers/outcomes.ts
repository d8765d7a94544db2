// What happened to a recommendation the agent made. Each outcome is one row of customer_outcomes and
// counts as a response: campaign evaluation reads it as (source 'agent', msisdn, service_id,
// recorded_at), 'accepted' being a take-up; the next training of the models reads it the same way.
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { sqlTimestamp, type Warehouse } from '../warehouse/index.ts';
import type { Bilingual } from './customer-profile.ts';
import { parseMsisdn } from './parse-msisdn.ts';

/** In the order of the keys 1–4 on the agent page. */
export const outcomes = ['accepted', 'declined', 'not_interested', 'call_back'] as const;
export type Outcome = (typeof outcomes)[number];

export const outcomeLabels: Record<Outcome, Bilingual> = {
  accepted: { zh: '接受', en: 'accepted' },
  declined: { zh: '拒绝', en: 'declined' },
  not_interested: { zh: '不感兴趣', en: 'not interested' },
  call_back: { zh: '稍后回电', en: 'call back' },
};

export interface OutcomeInput {
  msisdn: string;
  serviceId: string;
  outcome: string;
  agent: string;
  offerRank?: number;
  offerSource?: 'model' | 'rules';
  modelVersion?: string | null;
  /** Take the number exactly as given (the API). */
  strict?: boolean;
}

export interface RecordedOutcome {
  outcomeId: number;
  msisdn: string;
  serviceId: string;
  outcome: Outcome;
  label: Bilingual;
  agent: string;
  recordedAt: string;
}

export function isOutcome(text: string): text is Outcome {
  return (outcomes as readonly string[]).includes(text);
}

export async function recordCustomerOutcome(
  warehouse: Warehouse,
  clock: Clock,
  input: OutcomeInput,
): Promise<RecordedOutcome> {
  const msisdn = parseMsisdn(input.msisdn, { strict: input.strict });
  const outcome = input.outcome;
  if (!isOutcome(outcome))
    throw new AppError('USAGE', `outcome "${outcome}" is not one of ${outcomes.join(', ')}`, {
      location: { field: 'outcome' },
      hint: 'accepted, declined, not_interested or call_back (keys 1–4 on the agent page)',
    });
  const service = await warehouse.one('SELECT 1 AS found FROM services WHERE service_id = ?', [input.serviceId]);
  if (!service)
    throw new AppError('INPUT_INVALID', `serviceId "${input.serviceId}" is not in the services catalogue`, {
      location: { field: 'serviceId' },
      hint: 'record an outcome for one of the offers the profile showed',
    });
  const customer = await warehouse.one('SELECT 1 AS found FROM customer_facts WHERE msisdn = ?', [msisdn]);
  if (!customer)
    throw new AppError('NOT_FOUND', `no subscriber with the number ${msisdn} in the warehouse`, {
      location: { field: 'msisdn' },
      hint: 'open the profile first: outcomes are recorded for customers the warehouse knows',
    });
  const recordedAt = sqlTimestamp(clock.now());
  const row = await warehouse.write(async (tx) => {
    const inserted = await tx.one<{ outcome_id: number }>(
      `INSERT INTO customer_outcomes (msisdn, service_id, outcome, agent, recorded_at, offer_rank, offer_source, model_version, source)
       VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?, 'agent') RETURNING outcome_id`,
      [
        msisdn,
        input.serviceId,
        outcome,
        input.agent,
        recordedAt,
        input.offerRank ?? null,
        input.offerSource ?? null,
        input.modelVersion ?? null,
      ],
    );
    return inserted;
  });
  return {
    outcomeId: Number(row?.outcome_id),
    msisdn,
    serviceId: input.serviceId,
    outcome,
    label: outcomeLabels[outcome],
    agent: input.agent,
    recordedAt,
  };
}
