// What an agent sees about one customer. Every text shown to a person is bilingual; money is in yuan
// (the page and the CLI print it with ¥); dates are YYYY-MM-DD, times ISO.
import type { Bilingual } from '../metrics/index.ts';
import type { ContactRow } from './read-customer-rows.ts';

export type { Bilingual };

export interface Labelled {
  code: string;
  label: Bilingual;
}

export interface BillMonth {
  month: string;
  totalYuan: number;
  voiceYuan: number;
  smsYuan: number;
  dataYuan: number;
  vasYuan: number;
}

export interface ServiceSpell {
  serviceId: string;
  label: Bilingual;
  monthlyFeeYuan: number | null;
  held: boolean;
  startedOn: string;
  endedOn: string | null;
  channel: Labelled;
  cancelChannel: Labelled | null;
  trial: boolean;
  trialEndsOn: string | null;
  /** Uses of the service during the free trial; null when it was no trial (or not yet known). */
  trialUses: number | null;
  fromOpening: boolean;
  /** One line: "ordered by SMS on …, trial until …, used 3 times, cancelled at the counter on …". */
  summary: Bilingual;
}

export interface ServiceUsage {
  serviceId: string;
  label: Bilingual;
  /** Own uses (SMS up, WAP visits, IVR calls, ringback-tone actions) over the last 30 days. */
  events: number;
  daysUsed: number;
  /** Content pushed to the customer (SP messages), not counted as use. */
  pushed: number;
  wapVisits: number;
  ivrCalls: number;
  crbtActions: number;
}

export type ChurnLevel = 'high' | 'medium' | 'low';

export interface ChurnRisk {
  level: ChurnLevel;
  label: Bilingual;
  /** Probability of closing within 30 days from the latest churn model; null without a stored model. */
  score: number | null;
  source: 'model' | 'rules';
  modelVersion: string | null;
  reasons: Bilingual[];
}

export interface Offer {
  /** The key that records an outcome for this offer on the agent page (1, 2, 3). */
  rank: number;
  serviceId: string;
  label: Bilingual;
  monthlyFeeYuan: number | null;
  score: number;
  source: 'model' | 'rules';
  modelVersion: string | null;
  reason: Bilingual;
}

/** A message of the outbox to this customer, as read (`ContactRow`), with its status in words. */
export interface CampaignContact extends Omit<ContactRow, 'status'> {
  status: Labelled;
}

export interface CustomerResponse {
  kind: 'reply' | 'campaign-order' | 'agent-outcome';
  at: string;
  serviceId: string | null;
  text: Bilingual;
}

export interface CustomerAlert {
  anomalyId: number;
  day: string;
  severity: string;
  status: Labelled;
  explanation: Bilingual;
}

export interface ContactStatus {
  optedOut: { since: string; via: string } | null;
  doNotDisturb: { since: string; note: string | null } | null;
  /** May this customer be offered marketing (by phone, SMS)? */
  marketingAllowed: boolean;
  label: Bilingual;
}

export interface LiveFacts {
  lastSeenAt: string;
  /** Lines such as "in the 火车站 area since 10:12". */
  lines: Bilingual[];
}

export interface CustomerProfile {
  msisdn: string;
  /** The last loaded day the facts are counted up to. */
  asOf: string;
  brand: Labelled;
  plan: { id: string; label: Bilingual; monthlyFeeYuan: number | null };
  region: string;
  county: Bilingual;
  status: Labelled;
  gender: Labelled;
  activatedOn: string;
  tenure: { months: number; band: string; label: Bilingual };
  ageBand: string;
  segment: { tenureBand: string; ageBand: string; arpuBand: string | null; label: Bilingual };
  arpu: {
    latestYuan: number | null;
    trend: 'rising' | 'falling' | 'flat' | 'unknown';
    label: Bilingual;
    months: BillMonth[];
  };
  services: ServiceSpell[];
  usage: ServiceUsage[];
  activity30d: {
    activeDays: number;
    smsOut: number;
    ivrCalls: number;
    wapVisits: number;
    vasEvents: number;
    eventsLast7d: number;
    eventsPrior7d: number;
  };
  churn: ChurnRisk;
  offers: Offer[];
  contacts: CampaignContact[];
  responses: CustomerResponse[];
  alerts: CustomerAlert[];
  contactStatus: ContactStatus;
  /** Today's facts from the stream; null when no stream runs in this process or it has not seen the number. */
  live: LiveFacts | null;
}

/** Supplies today's facts from a running stream (the API passes one; the profile works without). */
export interface LiveFactsSource {
  factsOf(msisdn: string): LiveFacts | undefined;
}
