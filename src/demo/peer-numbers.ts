// The other party of a call or SMS: another demo subscriber, a competitor's subscriber, or a
// Heyuan landline (area code 0762, calls only).
import { competitorNumberOf, competitorPrefixes, msisdnOf } from './demo-msisdn.ts';
import type { GenerationContext } from './generation-context.ts';
import type { SeededRandom } from './seeded-random.ts';

export function pickPeer(random: SeededRandom, context: GenerationContext, competitorShare: number): string {
  if (random.next() < competitorShare)
    return competitorNumberOf(random.int(competitorPrefixes.length), random.int(100_000_000));
  return msisdnOf(random.int(context.population.count));
}

export function pickCallPeer(random: SeededRandom, context: GenerationContext, competitorShare: number): string {
  if (random.next() < 0.08) return `0762${2_000_000 + random.int(8_000_000)}`;
  return pickPeer(random, context, competitorShare);
}
