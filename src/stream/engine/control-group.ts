// The held-out control of a rule: deterministic by hash of MSISDN and rule id, so the same subscriber
// is always in or always out of a rule's control, across restarts and replays.

import { hashFraction } from '../../shared/hash-fraction.ts';

export { hashFraction };

export function isControl(msisdn: string, ruleId: string, fraction: number): boolean {
  return fraction > 0 && hashFraction(`${msisdn}|${ruleId}`) < fraction;
}
