// The other party of an SMS in the business feeds: another demo subscriber or a competitor's subscriber
// (signalling draws its peers, landlines included, itself).
import { competitorNumberOf, competitorPrefixes, msisdnOf } from './demo-msisdn.ts';
import type { GenerationContext } from './generation-context.ts';
import type { SeededRandom } from './seeded-random.ts';

export function pickPeer(random: SeededRandom, context: GenerationContext, competitorShare: number): string {
  if (random.next() < competitorShare)
    return competitorNumberOf(random.int(competitorPrefixes.length), random.int(100_000_000));
  return msisdnOf(random.int(context.population.count));
}
