// One day of the business feeds (orders, sms, wap, ivr, crbt, web) for every subscriber, with the
// planted patterns applied: trial ends, churn closures, cross-sell propensities, weekend rhythm and
// the two anomalies. Subscribers are visited in index order; each day of each subscriber draws from
// its own keyed stream, so a change in one feed's rates does not reshuffle the others.
import type { MonthUsage } from './billing-month.ts';
import { addMonths, clockTexts, compactDateText, dateText, isWeekend } from './calendar-text.ts';
import { demoServices, serviceCount, serviceIndex } from './demo-catalogue.ts';
import { msisdnOf } from './demo-msisdn.ts';
import type { FeedWriter } from './feed-writer.ts';
import { type GenerationContext, hourCumulative } from './generation-context.ts';
import { counties } from './heyuan-geography.ts';
import { forEachIvrCall, type IvrCallVisitor, ivrAccessCodes, ivrFeeFen } from './ivr-calls.ts';
import { type OrderChannel, plantedPatterns } from './planted-patterns.ts';
import { orderChannels } from '../feeds/contract.ts';
import { cumulativeOf, mixKey, SeededRandom } from '../shared/seeded-random.ts';
import { SmsRows } from './sms-rows.ts';
import { writeUsageEvents } from './usage-events.ts';
import { NO_DAY } from './subscriber-population.ts';
import { usageLevel } from './usage-level.ts';

export interface BusinessWriters {
  orders: FeedWriter;
  sms: FeedWriter;
  wap: FeedWriter;
  ivr: FeedWriter;
  crbt: FeedWriter;
  web: FeedWriter;
}

const BUSINESS_STREAM = 2;
const SLICE = 4096;
const ANOMALY_STREAM = 5;
const patterns = plantedPatterns;
const channelCumulative = cumulativeOf(orderChannels.map((c) => patterns.orders.channelWeights[c]));
const cancelChannelCumulative = cumulativeOf(orderChannels.map((c) => patterns.orders.cancelChannelWeights[c]));
const campaignOf = demoServices.map(
  (service) =>
    patterns.orders.campaigns.find((c) => serviceIndex[c.service] === demoServices.indexOf(service))?.campaignId,
);
const random = new SeededRandom(0);

export async function writeBusinessDay(
  context: GenerationContext,
  day: number,
  writers: BusinessWriters,
  usage: MonthUsage,
): Promise<void> {
  const { population, seed } = context;
  const dayNumber = context.startDay + day;
  const datePrefix = `${dateText(dayNumber)} `;
  const orderPrefix = `O${compactDateText(dayNumber)}`;
  const weekend = isWeekend(dayNumber);
  const weekly = patterns.weekly.weekend;
  const smsFactor = weekend ? weekly.p2pSms : 1;
  const wapFactor = weekend ? weekly.wap : 1;
  const jump = patterns.anomalies.countyCancellationJump;
  const jumpCounty = day === jump.dayOffset ? counties.findIndex((c) => c.name === jump.county) : -1;
  let orderSeq = 0;
  const randomSecond = () => {
    const hour = random.pickCumulative(hourCumulative);
    return hour * 3600 + random.int(3600);
  };
  const randomTs = () => datePrefix + clockTexts[randomSecond()]!;
  const smsRows = new SmsRows(writers.sms, context.msisdnBytes, dateText(dayNumber));
  const writeOrder = (
    msisdn: string,
    s: number,
    action: 'subscribe' | 'unsubscribe',
    channel: OrderChannel,
    flags: { trial: boolean; confirmed: boolean },
  ) => {
    orderSeq++;
    const campaign = channel === 'campaign' ? (campaignOf[s] ?? '') : '';
    writers.orders.line(
      `${orderPrefix}${String(orderSeq).padStart(8, '0')},${randomTs()},${msisdn},${demoServices[s]!.serviceId},${action},${channel},${flags.trial ? 1 : 0},${flags.confirmed ? 1 : 0},${campaign}\n`,
    );
  };
  const cancel = (i: number, msisdn: string, s: number, channel: OrderChannel) => {
    const bit = 1 << s;
    writeOrder(msisdn, s, 'unsubscribe', channel, { trial: (population.trialMask[i]! & bit) !== 0, confirmed: true });
    population.holdings[i] = population.holdings[i]! & ~bit;
    population.trialMask[i] = population.trialMask[i]! & ~bit;
  };
  const subscribe = (i: number, msisdn: string, s: number, channel: OrderChannel) => {
    const service = demoServices[s]!;
    const trial = service.trialMonths > 0 && random.chance(patterns.orders.trialOrderShare);
    const confirmed = channel === 'bundle' || !random.chance(patterns.orders.unconfirmedShare);
    writeOrder(msisdn, s, 'subscribe', channel, { trial, confirmed });
    if (!confirmed) return;
    const bit = 1 << s;
    population.holdings[i] = population.holdings[i]! | bit;
    if (trial) {
      population.trialMask[i] = population.trialMask[i]! | bit;
      population.trialEnd[i * serviceCount + s] = Math.min(
        32_000,
        addMonths(dayNumber, service.trialMonths) - context.startDay,
      );
    }
    const useChance = trial ? patterns.trial.usedDuringTrial : patterns.orders.usesHeldService;
    if (random.chance(useChance)) population.usesMask[i] = population.usesMask[i]! | bit;
    else population.usesMask[i] = population.usesMask[i]! & ~bit;
  };

  // One call description and one visitor for the whole day: no closure per subscriber.
  const ivrCall = { i: 0, day, weekend, activity: 1 };
  let ivrMsisdn = '';
  const writeIvrCall: IvrCallVisitor = (second, code, menu, duration) => {
    writers.ivr.line(`${datePrefix}${clockTexts[second]},${ivrMsisdn},${ivrAccessCodes[code]},${duration},${menu}\n`);
    usage.infoFeeFen[ivrCall.i] = usage.infoFeeFen[ivrCall.i]! + ivrFeeFen[code]!;
  };

  // One subscriber's day; a plain function so that V8 optimises it (loops inside the async function do not).
  const visit = (i: number): void => {
    const closeDay = population.closeDay[i]!;
    if (population.firstDay[i]! > day || population.suspendedDay[i]! !== NO_DAY || closeDay < day) return;
    random.reseed(mixKey(seed, i, day, BUSINESS_STREAM));
    const msisdn = msisdnOf(i);
    usage.aliveDays[i] = usage.aliveDays[i]! + 1;
    if (closeDay === day) {
      for (let s = 0; s < serviceCount; s++) if (population.holdings[i]! & (1 << s)) cancel(i, msisdn, s, 'auto');
      return;
    }
    const activity = usageLevel(population, i, day);
    usage.activitySum[i] = usage.activitySum[i]! + activity;

    // New subscribers: a bundled service on the activation day.
    if (population.firstDay[i] === day && random.chance(patterns.orders.activationBundle.probability))
      subscribe(i, msisdn, serviceIndex[patterns.orders.activationBundle.service], 'bundle');

    // Free months ending today: most who never used the service cancel.
    const trials = population.trialMask[i]!;
    if (trials !== 0)
      for (let s = 0; s < serviceCount; s++) {
        const bit = 1 << s;
        if (!(trials & bit) || population.trialEnd[i * serviceCount + s] !== day) continue;
        const used = (population.usesMask[i]! & bit) !== 0;
        const { cancelAtEnd } = patterns.trial;
        if (random.chance(used ? cancelAtEnd.used : cancelAtEnd.unused))
          cancel(i, msisdn, s, orderChannels[random.pickCumulative(cancelChannelCumulative)]!);
        else population.trialMask[i] = population.trialMask[i]! & ~bit;
      }

    // The county whose cancellations jump on one day.
    if (population.county[i] === jumpCounty)
      for (let s = 0; s < serviceCount; s++)
        if (population.holdings[i]! & (1 << s) && random.chance(jump.cancelProbability))
          cancel(i, msisdn, s, random.chance(0.5) ? 'hotline' : 'counter');

    // Organic cancellations and orders: one draw each against the summed daily chances.
    const holdings = population.holdings[i]!;
    const uses = population.usesMask[i]!;
    let cancelTotal = 0;
    let orderTotal = 0;
    const base = i * serviceCount;
    for (let s = 0; s < serviceCount; s++) {
      const bit = 1 << s;
      if (holdings & bit) {
        if (!(population.trialMask[i]! & bit))
          cancelTotal +=
            uses & bit ? patterns.orders.dailyCancelHazard.user : patterns.orders.dailyCancelHazard.nonUser;
      } else orderTotal += population.propensity[base + s]! / 255;
    }
    orderTotal *= patterns.orders.organicDailyFactor;
    let u = random.next();
    if (u < cancelTotal)
      for (let s = 0; s < serviceCount; s++) {
        const bit = 1 << s;
        if (!(holdings & bit) || population.trialMask[i]! & bit) continue;
        u -= uses & bit ? patterns.orders.dailyCancelHazard.user : patterns.orders.dailyCancelHazard.nonUser;
        if (u < 0) {
          cancel(i, msisdn, s, orderChannels[random.pickCumulative(cancelChannelCumulative)]!);
          break;
        }
      }
    u = random.next();
    if (u < orderTotal)
      for (let s = 0; s < serviceCount; s++) {
        if (holdings & (1 << s)) continue;
        u -= (population.propensity[base + s]! / 255) * patterns.orders.organicDailyFactor;
        if (u < 0) {
          let channel = orderChannels[random.pickCumulative(channelCumulative)]!;
          if (channel === 'campaign' && campaignOf[s] === undefined) channel = 'sms';
          if (channel === 'counter' && weekend && !random.chance(weekly.counterOrders)) channel = 'web';
          subscribe(i, msisdn, s, channel);
          break;
        }
      }
    usage.vasMask[i] = usage.vasMask[i]! | (population.holdings[i]! & ~population.trialMask[i]!);

    writeUsageEvents(
      context,
      { random, i, msisdn, activity, smsFactor, wapFactor, datePrefix, randomTs, randomSecond, smsRows },
      writers,
      usage,
    );
    ivrCall.i = i;
    ivrCall.activity = activity;
    ivrMsisdn = msisdn;
    forEachIvrCall(context, ivrCall, writeIvrCall);
  };
  const visitRange = (from: number, to: number): void => {
    for (let i = from; i < to; i++) visit(i);
  };
  for (let from = 0; from < population.count; from += SLICE) {
    visitRange(from, Math.min(population.count, from + SLICE));
    for (const writer of Object.values(writers)) await writer.flushIfFull();
  }

  // A burst of unconfirmed orders through one channel late in one day (a misbehaving SP or portal).
  const burst = patterns.anomalies.unconfirmedBurst;
  if (day === burst.dayOffset) {
    random.reseed(mixKey(seed, day, 0, ANOMALY_STREAM));
    const count = Math.round(burst.shareOfSubscribers * population.count);
    for (let k = 0; k < count; k++) {
      const i = random.int(population.count);
      if (population.firstDay[i]! > day || population.suspendedDay[i]! !== NO_DAY || population.closeDay[i]! <= day)
        continue;
      orderSeq++;
      const second = 20 * 3600 + random.int(3 * 3600);
      writers.orders.line(
        `${orderPrefix}${String(orderSeq).padStart(8, '0')},${datePrefix}${clockTexts[second]},${msisdnOf(i)},${demoServices[serviceIndex[burst.service]]!.serviceId},subscribe,${burst.channel},0,0,\n`,
      );
    }
  }
}
