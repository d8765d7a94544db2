// Uplift rules on a round's contacted and control subscribers: where the campaign caused the
// response, not just where people responded. The discovery itself is h-uplift's
// (src/mining/uplift/); until that lands here this finds none.
import type { Warehouse } from '../../warehouse/index.ts';
import type { RoundWindow } from './round-outcomes.ts';

export async function discoverRoundRules(_warehouse: Warehouse, _round: RoundWindow): Promise<unknown[]> {
  return [];
}
