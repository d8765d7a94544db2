// A subscriber's usage on one day: p2p SMS, WAP browsing and the web portal at their usage level;
// the daily 手机报 edition and SP pushes to holders; SMS commands, forwards and WAP visits of the
// services they use (none for a trial nobody uses, which is what the trial pattern keys on);
// ringback-tone changes.
import type { BusinessWriters } from './business-day.ts';
import { dailySmsOut, type MonthUsage } from './billing-month.ts';
import { demoServices, serviceCount, serviceIndex } from './demo-catalogue.ts';
import type { GenerationContext } from './generation-context.ts';
import { SMS_P2P_MO, SMS_P2P_MT, SMS_SP_MO, SMS_SP_MT, type SmsRows } from './sms-rows.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { cumulativeOf, type SeededRandom } from '../shared/seeded-random.ts';
import { flagCompetitor } from './subscriber-population.ts';

const patterns = plantedPatterns;
/** Wap usage events a day of a user of each service, at usage level 1. */
const serviceUseRate = [0.15, 0.3, 0.2, 0.5, 0.5, 0.5, 0.4, 0.8];
const genericHosts = ['wap.baidu.com', '3g.qq.com', 'wap.sina.cn', 'm.taobao.com', '3g.163.com', 'wap.sohu.com'];
const webPages: readonly [string, string, number][] = [
  ['/bill/query', 'view', 30],
  ['/package/detail', 'view', 15],
  ['/service/order', 'order', 10],
  ['/service/cancel', 'cancel', 6],
  ['/crbt/library', 'view', 10],
  ['/points/redeem', 'redeem', 6],
  ['/login', 'login', 23],
];
const webCumulative = cumulativeOf(webPages.map((p) => p[2]));
/** Generic events a day at usage level 1: p2p_mo, p2p_mt, wap browsing, web portal. */
const genericRates = [dailySmsOut, 0.4, 0.15, 0.03];

const rates = new Float64Array(4);

export interface UsageDay {
  random: SeededRandom;
  i: number;
  msisdn: string;
  activity: number;
  smsFactor: number;
  wapFactor: number;
  datePrefix: string;
  randomTs: () => string;
  /** Second of the day drawn from the daily rhythm (the same draws `randomTs` makes). */
  randomSecond: () => number;
  smsRows: SmsRows;
}

export function writeUsageEvents(
  context: GenerationContext,
  d: UsageDay,
  writers: BusinessWriters,
  usage: MonthUsage,
): void {
  const { population } = context;
  const { random, i, msisdn, activity, randomTs, randomSecond, smsRows } = d;
  const competitorShare =
    population.flags[i]! & flagCompetitor
      ? patterns.churn.competitorPeers.peerShare
      : patterns.churn.competitorPeers.normalPeerShare;
  const peers = { random, count: population.count, competitorShare };
  rates[0] = genericRates[0]! * activity * d.smsFactor;
  rates[1] = rates[0] + genericRates[1]! * activity * d.smsFactor;
  rates[2] = rates[1] + genericRates[2]! * activity * d.wapFactor;
  rates[3] = rates[2] + genericRates[3]! * activity;
  const generic = random.poisson(rates[3]);
  for (let k = 0; k < generic; k++) {
    const kind = random.pickCumulative(rates);
    if (kind === 0) {
      smsRows.person(randomSecond(), i, SMS_P2P_MO, peers);
      usage.smsOut[i] = Math.min(65_535, usage.smsOut[i]! + 1);
    } else if (kind === 1) smsRows.person(randomSecond(), i, SMS_P2P_MT, peers);
    else if (kind === 2) {
      const bytes = random.between(2_000, 300_000);
      writers.wap.line(`${randomTs()},${msisdn},${random.pick(genericHosts)},,${bytes}\n`);
      usage.dataKb[i] = usage.dataKb[i]! + bytes / 1024;
    } else {
      const page = webPages[random.pickCumulative(webCumulative)]!;
      writers.web.line(`${randomTs()},${msisdn},${page[0]},${page[1]}\n`);
    }
  }
  const holdings = population.holdings[i]!;
  if (holdings === 0) return;
  // The daily edition of the mobile newspaper reaches every holder, used or not.
  if (holdings & (1 << serviceIndex.news))
    smsRows.service(7 * 3600 + random.int(5400), i, SMS_SP_MT, serviceIndex.news);
  const uses = holdings & population.usesMask[i]!;
  const trials = population.trialMask[i]!;
  for (let s = 0; s < serviceCount; s++) {
    const bit = 1 << s;
    if (!(holdings & bit)) continue;
    const service = demoServices[s]!;
    if (s !== serviceIndex.news && random.chance(0.05)) smsRows.service(randomSecond(), i, SMS_SP_MT, s);
    if (s === serviceIndex.crbt) {
      const changes = random.poisson((uses & bit ? 0.08 : 0.01) * activity);
      for (let k = 0; k < changes; k++) {
        const u = random.next();
        const tone = `T${100_000 + Math.floor(random.next() ** 3 * 5000)}`;
        writers.crbt.line(`${randomTs()},${msisdn},${u < 0.2 ? 'set' : u < 0.65 ? 'change' : 'download'},${tone}\n`);
      }
    }
    if (!(uses & bit)) continue;
    const rate = trials & bit ? patterns.trial.usageEventsPerDay : serviceUseRate[s]!;
    const events = random.poisson(rate * activity * d.wapFactor);
    for (let k = 0; k < events; k++) {
      const u = random.next();
      if (s === serviceIndex.news && u < 0.4) smsRows.person(randomSecond(), i, SMS_P2P_MO, peers, { service: s });
      else if (u < 0.55 && u >= 0.4) smsRows.service(randomSecond(), i, SMS_SP_MO, s);
      else {
        const bytes =
          s === serviceIndex.video
            ? random.between(1_000_000, 20_000_000)
            : s === serviceIndex.music
              ? random.between(500_000, 5_000_000)
              : random.between(5_000, 400_000);
        writers.wap.line(`${randomTs()},${msisdn},${service.wapHost},${service.serviceId},${bytes}\n`);
        usage.dataKb[i] = usage.dataKb[i]! + bytes / 1024;
      }
    }
  }
}
