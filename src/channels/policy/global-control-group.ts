// The global control group: a stable share of subscribers that no marketing ever reaches, so the
// total effect of all marketing can be measured. Stable by hash of the subscriber alone (not of a
// campaign or rule), so the same people stay out across sources, restarts and machines.

import { hashFraction } from '../../shared/hash-fraction.ts';

export function inGlobalControlGroup(subscriber: string, share: number): boolean {
  return share > 0 && hashFraction(`global-control|${subscriber}`) < share;
}
