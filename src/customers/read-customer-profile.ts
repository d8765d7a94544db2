// One customer's profile, for one number at a time: the precomputed facts row (customer_facts, rebuilt
// by every load), the latest model scores, and the few live rows about this customer (contacts,
// replies, agent outcomes, opt-out and do-not-disturb, alerts). Every read is keyed by the number, so
// the answer costs the same at a thousand subscribers or a million. DuckDB answers such a read from an
// index (tables/customer-tables.ts) only when the number is its one filter and no ORDER BY … LIMIT
// follows (a top-N turns it back into a scan), so versions are picked and lists sorted here. Two
// statements in all, each prepared once per connection: the facts row, and every live row in one
// (read-customer-rows.ts); the reads every profile shares come from the reference cache.
import { dataValueLabel } from '../metrics/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../warehouse/index.ts';
import { assessChurnRisk } from './churn-risk.ts';
import {
  alertStatusOf,
  brandOf,
  channelOf,
  genderOf,
  messageStatusOf,
  type ServiceCatalogue,
  serviceLabel,
  statusOf,
  tenureBandLabel,
  yuan,
} from './customer-labels.ts';
import type {
  BillMonth,
  Bilingual,
  CampaignContact,
  CustomerAlert,
  CustomerProfile,
  CustomerResponse,
  LiveFactsSource,
  ServiceSpell,
  ServiceUsage,
} from './customer-profile.ts';
import { describeContactStatus } from './describe-contact-status.ts';
import { outcomeLabels } from './outcomes.ts';
import { parseMsisdn } from './parse-msisdn.ts';
import {
  readCustomerFactsOnClickHouse,
  readCustomerScoresOnClickHouse,
  readFactsDayOnClickHouse,
} from './read-customer-facts-clickhouse.ts';
import { type ProfileReferenceCache, type RecentAlert, readProfileReferences } from './profile-reference-cache.ts';
import { type ContactRow, type CustomerRows, readCustomerRows } from './read-customer-rows.ts';
import { recommendOffers } from './recommend-offers.ts';

export interface ReadProfileOptions {
  clock: Clock;
  /** Today's facts from a running stream; the profile is complete without. */
  live?: LiveFactsSource;
  /** Take the number exactly as given (the API), instead of forgiving spaces and a +86 prefix. */
  strict?: boolean;
  /** Keeps the reads shared by every profile (the API); without it they are read for this profile. */
  references?: ProfileReferenceCache;
  /**
   * The facts on a ClickHouse cluster (docs/scale-out.md): the facts row, scores, catalogue and models
   * are read there, the live state (contacts, replies, outcomes, opt-out, alerts) from `reader`, the file.
   */
  facts?: ClickHouseWarehouse;
}

export type FactsRow = {
  as_of: string;
  brand: string;
  region: string;
  county: string;
  plan_id: string;
  plan_name: string | null;
  plan_fee: number | null;
  activated_on: string;
  gender: string;
  status: string;
  tenure_months: number;
  tenure_band: string;
  age_band: string;
  arpu_band: string | null;
  bills: string;
  services: string;
  usage: string;
  active_days_30d: number;
  sms_out_30d: number;
  ivr_calls_30d: number;
  wap_visits_30d: number;
  vas_events_30d: number;
  events_last_7d: number;
  events_prior_7d: number;
  complaint_calls_30d: number;
  p2p_sms_30d: number;
  offnet_sms_30d: number;
  cancels_30d: number;
};

interface SpellJson {
  serviceId: string;
  startedOn: string;
  endedOn: string | null;
  channel: string;
  cancelChannel: string | null;
  trial: boolean;
  trialEndsOn: string | null;
  trialUses: number | null;
  fromOpening: boolean;
}

type UsageJson = Omit<ServiceUsage, 'label'>;

const LIST_LIMIT = 20;

/**
 * The facts row's columns the profile shows, not `*`: DuckDB fetches a keyed row column by column, and
 * the three unused ones (msisdn, birth_year, status_changed_on) cost a fifth to a third of the read
 * (issue 15).
 */
const factsSql = `SELECT as_of, brand, region, county, plan_id, plan_name, plan_fee, activated_on, gender, status,
    tenure_months, tenure_band, age_band, arpu_band, bills, services, usage, active_days_30d, sms_out_30d,
    ivr_calls_30d, wap_visits_30d, vas_events_30d, events_last_7d, events_prior_7d, complaint_calls_30d,
    p2p_sms_30d, offnet_sms_30d, cancels_30d
  FROM customer_facts WHERE msisdn = ?`;

export async function readCustomerProfile(
  reader: Warehouse,
  input: string,
  options: ReadProfileOptions,
): Promise<CustomerProfile> {
  const msisdn = parseMsisdn(input, { strict: options.strict });
  const cluster = options.facts;
  const { facts, rows } = cluster ? await readOnCluster(cluster, reader, msisdn) : await readOnFile(reader, msisdn);
  if (!facts) throw await notFound(cluster ?? reader, msisdn);

  const references = options.references
    ? await options.references.get(reader, facts.as_of, cluster)
    : await readProfileReferences(reader, facts.as_of, cluster);
  const names = references.catalogue;

  const months = JSON.parse(facts.bills) as BillMonth[];
  const spells = (JSON.parse(facts.services) as SpellJson[]).map((s) => describeSpell(s, names));
  const usage = (JSON.parse(facts.usage) as UsageJson[]).map((u) => ({
    ...u,
    label: serviceLabel(u.serviceId, names),
  }));
  const held = new Set(spells.filter((s) => s.held).map((s) => s.serviceId));
  const recentlyCancelled = new Set(
    spells.filter((s) => s.endedOn !== null && daysBetween(s.endedOn, facts.as_of) < 30).map((s) => s.serviceId),
  );
  const brand = brandOf(facts.brand);

  // The latest model of each purpose (a reference), then this customer's rows of it (read by number
  // through an index).
  const churnVersion = references.churnVersion;
  const churnModel = churnVersion ? rows.churnScores.find((row) => row.modelVersion === churnVersion) : undefined;
  const churn = assessChurnRisk(
    {
      tenureMonths: facts.tenure_months,
      complaintCalls30d: facts.complaint_calls_30d,
      p2pSms30d: facts.p2p_sms_30d,
      offnetSms30d: facts.offnet_sms_30d,
      eventsLast7d: facts.events_last_7d,
      eventsPrior7d: facts.events_prior_7d,
      cancels30d: facts.cancels_30d,
      lastBillsYuan: months.slice(-2).map((m) => m.totalYuan),
    },
    churnModel ? { score: churnModel.score, modelVersion: churnModel.modelVersion } : undefined,
  );
  // Nothing is offered on an account that is closed or suspended.
  const offers =
    facts.status !== 'active'
      ? []
      : await recommendOffers(
          cluster ?? reader,
          { version: references.crossSellVersion, rules: references.crossSellRules, rows: rows.offers },
          {
            msisdn,
            brand: facts.brand,
            brandLabel: brand.label,
            county: facts.county,
            asOf: facts.as_of,
            held,
            recentlyCancelled,
            catalogue: names,
          },
        );
  const contacts = describeContacts(rows.contacts);
  const responses = describeResponses(rows, spells, names);
  const alerts = alertsOf(references.recentAlerts, facts, held, new Set(spells.map((s) => s.channel.code)));
  const contactStatus = describeContactStatus(rows);

  const county = dataValueLabel('county', facts.county);
  return {
    msisdn,
    asOf: facts.as_of,
    brand,
    plan: {
      id: facts.plan_id,
      label: dataValueLabel('plan', facts.plan_id, facts.plan_name ?? undefined),
      monthlyFeeYuan: facts.plan_fee === null ? null : Number(facts.plan_fee),
    },
    region: facts.region,
    county,
    status: statusOf(facts.status),
    gender: genderOf(facts.gender),
    activatedOn: facts.activated_on,
    tenure: {
      months: facts.tenure_months,
      band: facts.tenure_band,
      label: {
        zh: `在网 ${facts.tenure_months} 个月（${tenureBandLabel(facts.tenure_band).zh}）`,
        en: `${facts.tenure_months} months (${tenureBandLabel(facts.tenure_band).en})`,
      },
    },
    ageBand: facts.age_band,
    segment: {
      tenureBand: facts.tenure_band,
      ageBand: facts.age_band,
      arpuBand: facts.arpu_band,
      label: {
        zh: `${brand.label.zh} · ${county.zh} · 在网${tenureBandLabel(facts.tenure_band).zh} · ${facts.age_band} 岁 · 月消费 ${facts.arpu_band ?? '—'} 元`,
        en: `${brand.label.en} · ${county.en} · ${tenureBandLabel(facts.tenure_band).en} · age ${facts.age_band} · bill ¥${facts.arpu_band ?? '—'}`,
      },
    },
    arpu: describeArpu(months),
    services: spells,
    usage,
    activity30d: {
      activeDays: facts.active_days_30d,
      smsOut: facts.sms_out_30d,
      ivrCalls: facts.ivr_calls_30d,
      wapVisits: facts.wap_visits_30d,
      vasEvents: facts.vas_events_30d,
      eventsLast7d: facts.events_last_7d,
      eventsPrior7d: facts.events_prior_7d,
    },
    churn,
    offers,
    contacts,
    responses,
    alerts,
    contactStatus,
    live: options.live?.factsOf(msisdn) ?? null,
  };
}

async function readOnFile(reader: Warehouse, msisdn: string): Promise<{ facts?: FactsRow; rows: CustomerRows }> {
  // Both statements are sent at once: they run one after the other on the connection, without a wait
  // in between for the answer to reach this thread.
  const [found, rows] = await Promise.all([
    // Dates come back as ISO text (YYYY-MM-DD).
    reader.allPrepared<FactsRow>(factsSql, [msisdn]),
    readCustomerRows(reader, msisdn),
  ]);
  return { facts: found[0], rows };
}

/** Facts and scores from the shard holding the customer; the live rows from the file beside the cluster. */
async function readOnCluster(
  cluster: ClickHouseWarehouse,
  reader: Warehouse,
  msisdn: string,
): Promise<{ facts?: FactsRow; rows: CustomerRows }> {
  const asOf = await readFactsDayOnClickHouse(cluster);
  const [facts, live, scores] = await Promise.all([
    asOf === undefined ? undefined : readCustomerFactsOnClickHouse(cluster, msisdn, asOf),
    readCustomerRows(reader, msisdn),
    readCustomerScoresOnClickHouse(cluster, msisdn),
  ]);
  return { facts, rows: { ...live, ...scores } };
}

async function notFound(reader: Warehouse | ClickHouseWarehouse, msisdn: string): Promise<AppError> {
  const facts =
    reader.engine === 'clickhouse'
      ? await reader.scalar('SELECT count() FROM subscribers')
      : await reader.scalar('SELECT count(*) FROM customer_facts');
  if (facts === 0)
    return new AppError('WAREHOUSE_EMPTY', 'the customer facts have not been built yet', {
      hint: 'load feeds (`telmark load DIR`): every load rebuilds them',
    });
  return new AppError('NOT_FOUND', `no subscriber with the number ${msisdn} in the warehouse`, {
    location: { field: 'msisdn' },
    hint: 'check the number with the caller; numbers of other operators are not in the warehouse',
  });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

function describeSpell(s: SpellJson, names: ServiceCatalogue): ServiceSpell {
  const channel = channelOf(s.channel);
  const cancelChannel = s.cancelChannel ? channelOf(s.cancelChannel) : null;
  // Held by the latest orders: a spell may start or end after the profile's asOf (an order on a day whose usage
  // feeds are not loaded yet), and the agent must see it as it stands.
  const held = s.endedOn === null;
  const zh: string[] = [
    s.fromOpening ? `${s.startedOn} 起订有（${channel.label.zh}）` : `${s.startedOn} 经${channel.label.zh}订购`,
  ];
  const en: string[] = [
    s.fromOpening
      ? `held since ${s.startedOn} (${channel.label.en})`
      : `ordered by ${channel.label.en} on ${s.startedOn}`,
  ];
  if (s.trial && s.trialEndsOn) {
    const used = s.trialUses === null ? null : s.trialUses > 0;
    zh.push(
      `试用至 ${s.trialEndsOn}，${used === null ? '使用情况未知' : used ? `试用期内使用 ${s.trialUses} 次` : '试用期内未使用'}`,
    );
    en.push(
      `trial until ${s.trialEndsOn}, ${used === null ? 'use unknown' : used ? `used ${s.trialUses} times in the trial` : 'not used in the trial'}`,
    );
  }
  if (s.endedOn) {
    zh.push(`${s.endedOn} 经${cancelChannel?.label.zh ?? '未知渠道'}退订`);
    en.push(`cancelled by ${cancelChannel?.label.en ?? 'unknown channel'} on ${s.endedOn}`);
  }
  return {
    serviceId: s.serviceId,
    label: serviceLabel(s.serviceId, names),
    monthlyFeeYuan: names.get(s.serviceId)?.feeYuan ?? null,
    held,
    startedOn: s.startedOn,
    endedOn: s.endedOn,
    channel,
    cancelChannel,
    trial: s.trial,
    trialEndsOn: s.trialEndsOn,
    trialUses: s.trial ? s.trialUses : null,
    fromOpening: s.fromOpening,
    summary: { zh: zh.join('；'), en: en.join('; ') },
  };
}

/** The trend compares the latest bill with the mean of the months before it (±10 % is flat). */
function describeArpu(months: BillMonth[]): CustomerProfile['arpu'] {
  const latest = months.at(-1)?.totalYuan ?? null;
  const before = months.slice(0, -1).map((m) => m.totalYuan);
  if (latest === null || before.length === 0)
    return {
      latestYuan: latest,
      trend: 'unknown',
      label: { zh: `月消费 ${yuan(latest)}（无趋势）`, en: `monthly bill ${yuan(latest)} (no trend yet)` },
      months,
    };
  const mean = before.reduce((a, b) => a + b, 0) / before.length;
  const trend = latest > mean * 1.1 ? 'rising' : latest < mean * 0.9 ? 'falling' : 'flat';
  const word: Record<typeof trend, Bilingual> = {
    rising: { zh: '上升', en: 'rising' },
    falling: { zh: '下降', en: 'falling' },
    flat: { zh: '平稳', en: 'steady' },
  };
  return {
    latestYuan: latest,
    trend,
    label: {
      zh: `月消费 ${yuan(latest)}，${word[trend].zh}（此前平均 ${yuan(mean)}）`,
      en: `monthly bill ${yuan(latest)}, ${word[trend].en} (earlier average ${yuan(mean)})`,
    },
    months,
  };
}

function describeContacts(rows: readonly ContactRow[]): CampaignContact[] {
  return newestFirst(
    rows.filter((r) => r.source === 'campaign' || r.source === 'trigger'),
    (r) => r.queuedAt,
  ).map((r) => ({
    messageId: r.messageId,
    source: r.source,
    sourceRef: r.sourceRef,
    serviceId: r.serviceId,
    channel: r.channel,
    text: r.text,
    status: messageStatusOf(r.status),
    queuedAt: r.queuedAt,
  }));
}

function describeResponses(
  rows: Pick<CustomerRows, 'replies' | 'outcomes'>,
  spells: readonly ServiceSpell[],
  names: ServiceCatalogue,
): CustomerResponse[] {
  const replies = rows.replies.map((r) => ({ text: r.text, received_at: r.receivedAt, opt_out: r.optOut }));
  const outcomes = rows.outcomes.map((o) => ({
    service_id: o.serviceId,
    outcome: o.outcome,
    agent: o.agent,
    recorded_at: o.recordedAt,
  }));
  const responses: CustomerResponse[] = [
    ...replies.map((r) => ({
      kind: 'reply' as const,
      at: r.received_at,
      serviceId: null,
      text: {
        zh: `短信回复“${r.text}”${r.opt_out ? '（退订营销）' : ''}`,
        en: `replied "${r.text}" by SMS${r.opt_out ? ' (opted out)' : ''}`,
      },
    })),
    ...spells
      .filter((s) => s.channel.code === 'campaign' && !s.fromOpening)
      .map((s) => ({
        kind: 'campaign-order' as const,
        at: s.startedOn,
        serviceId: s.serviceId,
        text: { zh: `营销活动后订购${s.label.zh}`, en: `ordered ${s.label.en} after a campaign` },
      })),
    ...outcomes.map((o) => {
      const service = serviceLabel(o.service_id, names);
      const outcome = outcomeLabels[o.outcome as keyof typeof outcomeLabels] ?? { zh: o.outcome, en: o.outcome };
      return {
        kind: 'agent-outcome' as const,
        at: o.recorded_at,
        serviceId: o.service_id,
        text: {
          zh: `坐席 ${o.agent} 推荐${service.zh}：${outcome.zh}`,
          en: `agent ${o.agent} offered ${service.en}: ${outcome.en}`,
        },
      };
    }),
  ];
  return newestFirst(responses, (r) => r.at);
}

/** The LIST_LIMIT newest items. */
function newestFirst<T>(items: T[], timeOf: (item: T) => string): T[] {
  return items.sort((a, b) => (timeOf(a) < timeOf(b) ? 1 : timeOf(a) > timeOf(b) ? -1 : 0)).slice(0, LIST_LIMIT);
}

/**
 * Alerts of the last two weeks of data whose slice contains this customer: every dimension of the
 * anomaly (county, brand, tenure band, a service held, an order channel used) matches the customer.
 */
function alertsOf(
  recent: readonly RecentAlert[],
  facts: FactsRow,
  held: ReadonlySet<string>,
  channels: ReadonlySet<string>,
): CustomerAlert[] {
  const mine = recent.filter((r) =>
    Object.entries(r.dimensions).every(([key, value]) => {
      if (key === 'county') return value === facts.county;
      if (key === 'brand') return value === facts.brand;
      if (key === 'tenure_band') return value === facts.tenure_band;
      if (key === 'service') return held.has(value);
      if (key === 'channel') return channels.has(value);
      return false;
    }),
  );
  return mine.slice(0, LIST_LIMIT).map((r) => ({
    anomalyId: r.id,
    day: r.day,
    severity: r.severity,
    status: alertStatusOf(r.status),
    explanation: { zh: r.explanationZh, en: r.explanationEn },
  }));
}
