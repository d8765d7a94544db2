// Monthly billing consistent with plan and usage: the plan fee (pro rata for the days the account
// was open) split over voice, SMS and data, plus overage beyond the plan's allowances, plus the
// monthly fees of value-added services held outside their free months and 12580/12590 info fees.
import { demoPlans, demoServices, serviceCount } from './demo-catalogue.ts';
import { daysInMonth, firstDayOfMonth, monthText, yuanText } from './calendar-text.ts';
import { msisdnOf } from './demo-msisdn.ts';
import type { FeedWriter } from './feed-writer.ts';
import type { GenerationContext } from './generation-context.ts';
import { mixKey, SeededRandom } from '../shared/seeded-random.ts';
import { NO_DAY } from './subscriber-population.ts';

/** Usage accumulated over one month, per subscriber. */
export interface MonthUsage {
  aliveDays: Uint8Array;
  /** Sum of the daily usage level: voice minutes are drawn from it. */
  activitySum: Float32Array;
  smsOut: Uint16Array;
  dataKb: Float32Array;
  infoFeeFen: Uint32Array;
  /** Services billed this month (held on some day outside free months). */
  vasMask: Uint8Array;
}

export function allocateMonthUsage(count: number): MonthUsage {
  return {
    aliveDays: new Uint8Array(count),
    activitySum: new Float32Array(count),
    smsOut: new Uint16Array(count),
    dataKb: new Float32Array(count),
    infoFeeFen: new Uint32Array(count),
    vasMask: new Uint8Array(count),
  };
}

export function clearMonthUsage(usage: MonthUsage): void {
  for (const array of Object.values(usage)) array.fill(0);
}

/** Voice minutes a day at usage level 1. */
export const dailyVoiceMinutes = 6;
/** p2p SMS sent a day at usage level 1 (the sms feed uses the same rate). */
export const dailySmsOut = 0.35;
const BILLING_STREAM = 11;
const random = new SeededRandom(0);

/** Fills `usage` for the month before the window from the opening state: the comparison month. */
export function synthesisePriorMonth(context: GenerationContext, monthKey: number, usage: MonthUsage): void {
  const { population, startDay } = context;
  const first = firstDayOfMonth(monthKey) - startDay;
  const length = daysInMonth(monthKey);
  for (let i = 0; i < population.count; i++) {
    const from = Math.max(first, population.firstDay[i]!);
    const suspended = population.suspendedDay[i]!;
    const until = Math.min(first + length, suspended === NO_DAY ? first + length : suspended);
    if (until <= from) continue;
    random.reseed(mixKey(context.seed, i, monthKey, BILLING_STREAM));
    const days = until - from;
    const activity = population.activity[i]!;
    usage.aliveDays[i] = days;
    usage.activitySum[i] = activity * days * (0.85 + 0.3 * random.next());
    usage.smsOut[i] = random.poisson(dailySmsOut * activity * days);
    usage.dataKb[i] = activity * days * 60 * (0.5 + random.next());
    usage.infoFeeFen[i] = random.poisson(0.01 * activity * days) * 50;
    usage.vasMask[i] = population.holdings[i]! & ~population.trialMask[i]!;
  }
}

export async function writeBillingMonth(
  context: GenerationContext,
  monthKey: number,
  usage: MonthUsage,
  writer: FeedWriter,
): Promise<void> {
  const { population } = context;
  const month = monthText(monthKey);
  const monthDays = daysInMonth(monthKey);
  // A month the window covers only in part is billed whole: usage is extrapolated from the days seen
  // to the days the account was open in the month.
  const monthFirst = firstDayOfMonth(monthKey) - context.startDay;
  const monthEnd = monthFirst + monthDays;
  const writeOne = (i: number): void => {
    const seen = usage.aliveDays[i]!;
    if (seen === 0) return;
    const closeDay = population.closeDay[i]!;
    const alive = Math.max(
      seen,
      Math.min(monthEnd, closeDay === NO_DAY ? monthEnd : closeDay + 1) - Math.max(monthFirst, population.firstDay[i]!),
    );
    const scale = alive / seen;
    random.reseed(mixKey(context.seed, i, monthKey, BILLING_STREAM + 1));
    const plan = demoPlans[population.plan[i]!]!;
    const share = Math.min(1, alive / monthDays);
    const planFen = Math.round(plan.monthlyFeeFen * share);
    const minutes = usage.activitySum[i]! * scale * dailyVoiceMinutes * (0.7 + 0.6 * random.next());
    const perMinuteFen = plan.voiceMinutes === 0 ? 25 : 19;
    const voiceFen =
      Math.round(planFen * 0.6) + Math.round(Math.max(0, minutes - plan.voiceMinutes * share) * perMinuteFen);
    const smsFen =
      Math.round(planFen * 0.1) + Math.max(0, Math.round(usage.smsOut[i]! * scale - plan.sms * share)) * 10;
    const dataMb = (usage.dataKb[i]! * scale) / 1024;
    const dataFen =
      planFen -
      Math.round(planFen * 0.6) -
      Math.round(planFen * 0.1) +
      Math.min(6000, Math.round(Math.max(0, dataMb - plan.dataMb * share) * 30));
    let vasFen = Math.round(usage.infoFeeFen[i]! * scale);
    const billed = usage.vasMask[i]!;
    for (let s = 0; s < serviceCount; s++) if (billed & (1 << s)) vasFen += demoServices[s]!.monthlyFeeFen;
    const totalFen = voiceFen + smsFen + dataFen + vasFen;
    writer.line(
      `${msisdnOf(i)},${month},${yuanText(totalFen)},${yuanText(voiceFen)},${yuanText(smsFen)},${yuanText(dataFen)},${yuanText(vasFen)}\n`,
    );
  };
  const writeRange = (from: number, to: number): void => {
    for (let i = from; i < to; i++) writeOne(i);
  };
  for (let from = 0; from < population.count; from += 4096) {
    writeRange(from, Math.min(population.count, from + 4096));
    await writer.flushIfFull();
  }
}
