// The demo operator's planted propensity as the simulator's Propensity: known demo services use the
// generator's planted chance; numbers outside the demo base (visitors) or unknown services get none.
import { plantedPropensity } from '../../demo/index.ts';
import type { Propensity } from './response-simulator.ts';

export function demoPropensity(seed: number): Propensity {
  return (msisdn, serviceId) => {
    try {
      return plantedPropensity(seed, msisdn, serviceId);
    } catch {
      return 0;
    }
  };
}
