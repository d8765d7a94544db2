// Every live row about one customer in one keyed read: the model scores (churn, cross-sell offers),
// campaign and trigger contacts, SMS replies, agent outcomes, opt-out and do-not-disturb. Seven reads
// were five round trips, each parsed and planned again (issue 15); now one statement, prepared once per
// reader connection. Each branch filters by the number alone so that DuckDB still reads it through its
// index (tables/customer-tables.ts); versions are picked and lists sorted by the callers. The branches
// share one row shape: a kind, text columns s1…s8, numbers n1…n4 and a flag b1, named per kind below.
import type { Warehouse } from '../warehouse/index.ts';

export interface ChurnScoreRow {
  score: number;
  modelVersion: string;
}

export interface OfferRow {
  offerRank: number;
  serviceId: string;
  score: number;
  propensity: number;
  ruleConfidence: number;
  modelVersion: string;
}

export interface ContactRow {
  messageId: string;
  source: string;
  sourceRef: string | null;
  serviceId: string | null;
  channel: string;
  text: string;
  status: string;
  queuedAt: string;
}

export interface ReplyRow {
  receivedAt: string;
  text: string;
  optOut: boolean;
}

export interface OutcomeRow {
  recordedAt: string;
  serviceId: string;
  outcome: string;
  agent: string;
}

export interface CustomerRows {
  churnScores: ChurnScoreRow[];
  offers: OfferRow[];
  /** Every message queued for the customer, whatever its source. */
  contacts: ContactRow[];
  replies: ReplyRow[];
  outcomes: OutcomeRow[];
  optOut: { since: string; via: string } | null;
  doNotDisturb: { since: string; note: string | null } | null;
}

const keyedRowsSql = `
  SELECT 'churn' AS kind, model_version AS s1, NULL::VARCHAR AS s2, NULL::VARCHAR AS s3, NULL::VARCHAR AS s4,
         NULL::VARCHAR AS s5, NULL::VARCHAR AS s6, NULL::VARCHAR AS s7, NULL::VARCHAR AS s8,
         score AS n1, NULL::DOUBLE AS n2, NULL::DOUBLE AS n3, NULL::DOUBLE AS n4, NULL::BOOLEAN AS b1
  FROM mining_churn_scores WHERE msisdn = $1
  UNION ALL
  SELECT 'offer', model_version, service_id, NULL, NULL, NULL, NULL, NULL, NULL,
         offer_rank, score, propensity, rule_confidence, NULL
  FROM mining_offers WHERE msisdn = $1
  UNION ALL
  SELECT 'contact', message_id, source, source_ref, service_id, channel, text, status, CAST(queued_at AS VARCHAR),
         NULL, NULL, NULL, NULL, NULL
  FROM channel_outbox WHERE subscriber = $1
  UNION ALL
  SELECT 'reply', CAST(received_at AS VARCHAR), text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, opt_out
  FROM channel_responses WHERE msisdn = $1
  UNION ALL
  SELECT 'outcome', CAST(recorded_at AS VARCHAR), service_id, outcome, agent, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL
  FROM customer_outcomes WHERE msisdn = $1
  UNION ALL
  SELECT 'opt-out', CAST(since AS VARCHAR), via, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM channel_opt_outs WHERE msisdn = $1
  UNION ALL
  SELECT 'dnd', CAST(since AS VARCHAR), note, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM channel_dnd WHERE msisdn = $1`;

type KeyedRow = {
  kind: 'churn' | 'offer' | 'contact' | 'reply' | 'outcome' | 'opt-out' | 'dnd';
  s1: string | null;
  s2: string | null;
  s3: string | null;
  s4: string | null;
  s5: string | null;
  s6: string | null;
  s7: string | null;
  s8: string | null;
  n1: number | null;
  n2: number | null;
  n3: number | null;
  n4: number | null;
  b1: boolean | null;
};

export async function readCustomerRows(reader: Warehouse, msisdn: string): Promise<CustomerRows> {
  const rows = await reader.allPrepared<KeyedRow>(keyedRowsSql, [msisdn]);
  const found: CustomerRows = {
    churnScores: [],
    offers: [],
    contacts: [],
    replies: [],
    outcomes: [],
    optOut: null,
    doNotDisturb: null,
  };
  // Columns the branch fills from NOT NULL columns are read with `!`; nullable ones keep their null.
  for (const r of rows) {
    switch (r.kind) {
      case 'churn':
        found.churnScores.push({ modelVersion: r.s1!, score: r.n1! });
        break;
      case 'offer':
        found.offers.push({
          modelVersion: r.s1!,
          serviceId: r.s2!,
          offerRank: r.n1!,
          score: r.n2!,
          propensity: r.n3!,
          ruleConfidence: r.n4!,
        });
        break;
      case 'contact':
        found.contacts.push({
          messageId: r.s1!,
          source: r.s2!,
          sourceRef: r.s3,
          serviceId: r.s4,
          channel: r.s5!,
          text: r.s6!,
          status: r.s7!,
          queuedAt: r.s8!,
        });
        break;
      case 'reply':
        found.replies.push({ receivedAt: r.s1!, text: r.s2 ?? '', optOut: r.b1 === true });
        break;
      case 'outcome':
        found.outcomes.push({ recordedAt: r.s1!, serviceId: r.s2 ?? '', outcome: r.s3 ?? '', agent: r.s4 ?? '' });
        break;
      case 'opt-out':
        found.optOut = { since: r.s1!, via: r.s2 ?? '' };
        break;
      case 'dnd':
        found.doNotDisturb = { since: r.s1!, note: r.s2 };
        break;
    }
  }
  return found;
}
