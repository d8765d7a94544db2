// Builds the population and, in the same pass, writes the subscribers snapshot (status at the end
// of the window) and the subscriptions snapshot (who held what the day before the window).
import { orderChannels } from '../feeds/contract.ts';
import { addMonths, dateText } from './calendar-text.ts';
import { demoPlans, demoServices, serviceCount } from './demo-catalogue.ts';
import { msisdnOf } from './demo-msisdn.ts';
import { FeedWriter, type WrittenFile } from './feed-writer.ts';
import type { GenerationContext } from './generation-context.ts';
import { regionName, counties } from './heyuan-geography.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { cumulativeOf, mixKey, SeededRandom } from '../shared/seeded-random.ts';
import { describeSubscriber, type SubscriberProfile } from './subscriber-profile.ts';
import { firstDayOf, packSubscriber } from './subscriber-population.ts';

const OPENING_STREAM = 13;
const channelCumulative = cumulativeOf(orderChannels.map((c) => plantedPatterns.orders.channelWeights[c]));
const random = new SeededRandom(0);

/** Day offset a trial held at the opening ends: its subscription date plus the free months, as SQL would add them. */
function openingTrial(
  context: GenerationContext,
  profile: SubscriberProfile,
): { subscribedDay: number; endOffset: number } {
  const months = demoServices[profile.trialService]!.trialMonths;
  const subscribedDay = addMonths(context.startDay + profile.trialEndOffset, -months);
  return { subscribedDay, endOffset: addMonths(subscribedDay, months) - context.startDay };
}

export async function writeSubscriberFeeds(
  context: GenerationContext,
  onProgress: (done: number) => void,
): Promise<WrittenFile[]> {
  const { options, population, startDay } = context;
  const subscribers = FeedWriter.open(options.outDir, 'subscribers.csv', 'subscribers', options.gzip);
  const subscriptions = FeedWriter.open(options.outDir, 'subscriptions.csv', 'subscriptions', options.gzip);
  const window = { days: options.days, trialEndOf: (p: SubscriberProfile) => openingTrial(context, p).endOffset };
  const writeOne = (i: number): void => {
    const profile = describeSubscriber(context.seed, i);
    packSubscriber(population, profile, window);
    const msisdn = msisdnOf(i);
    const activatedDay = startDay + firstDayOf(profile, options.days);
    const activatedOn = dateText(activatedDay);
    const closed = profile.closeOffset !== null && profile.closeOffset < options.days;
    const status = closed ? 'closed' : profile.suspendedOffset !== null ? 'suspended' : 'active';
    const changedOn = closed
      ? dateText(startDay + profile.closeOffset!)
      : profile.suspendedOffset !== null
        ? dateText(startDay + profile.suspendedOffset)
        : activatedOn;
    subscribers.line(
      `${msisdn},${profile.brand},${regionName},${counties[profile.countyIndex]!.name},${demoPlans[profile.planIndex]!.planId},${activatedOn},${profile.birthYear},${profile.gender},${status},${changedOn}\n`,
    );
    if (profile.holdings !== 0) {
      random.reseed(mixKey(context.seed, i, 0, OPENING_STREAM));
      for (let s = 0; s < serviceCount; s++) {
        if (!(profile.holdings & (1 << s))) continue;
        const trial = s === profile.trialService;
        const subscribedDay = trial
          ? openingTrial(context, profile).subscribedDay
          : activatedDay + random.int(Math.max(1, startDay - activatedDay));
        const channel = trial ? 'campaign' : orderChannels[random.pickCumulative(channelCumulative)]!;
        subscriptions.line(
          `${msisdn},${demoServices[s]!.serviceId},${dateText(Math.min(subscribedDay, startDay - 1))},${channel},${trial ? 1 : 0}\n`,
        );
      }
    }
  };
  const writeRange = (from: number, to: number): void => {
    for (let i = from; i < to; i++) writeOne(i);
  };
  for (let from = 0; from < population.count; from += 4096) {
    const to = Math.min(population.count, from + 4096);
    writeRange(from, to);
    await subscribers.flushIfFull();
    await subscriptions.flushIfFull();
    onProgress(to);
  }
  onProgress(population.count);
  return [await subscribers.close(), await subscriptions.close()];
}
