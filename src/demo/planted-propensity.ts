// The planted propensity of one subscriber to order one service, from the seed and the phone
// number alone (no files): what a response simulator should use as the chance that an offer is taken.
import { AppError } from '../shared/errors.ts';
import { demoServices, findService } from './demo-catalogue.ts';
import { indexOfMsisdn } from './demo-msisdn.ts';
import { describeSubscriber, servicePropensity } from './subscriber-profile.ts';

/**
 * Chance (0..0.9) that the subscriber orders `serviceId` when offered it, as planted by the generator
 * run with `seed`: brand, area, age and traveller factors times the cross-sell lifts of the services
 * held at the opening (see `plantedPatterns`). 0 for a service already held at the opening.
 * The generator's organic daily order chance is this × `plantedPatterns.orders.organicDailyFactor`.
 */
export function plantedPropensity(seed: number, msisdn: string, serviceId: string): number {
  const s = findService(serviceId);
  if (s < 0)
    throw new AppError('INPUT_INVALID', `unknown service "${serviceId}"`, {
      hint: `demo services: ${demoServices.map((x) => x.serviceId).join(', ')}`,
    });
  const profile = describeSubscriber(seed >>> 0, indexOfMsisdn(msisdn));
  if (profile.holdings & (1 << s)) return 0;
  return servicePropensity(profile, s, profile.holdings);
}
