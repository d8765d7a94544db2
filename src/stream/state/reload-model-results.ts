// Reads the stored mining results into the running stream again (after `telmark train` or a model
// trained from the page), so rules on scores and segments use the new ones without a restart.
import { AppError } from '../../shared/errors.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { getLiveStream } from '../live-stream.ts';
import { loadStoredModelResults } from './load-profiles.ts';

export async function reloadModelResults(
  warehouse: Warehouse,
): Promise<{ churn: number; propensity: number; segments: number }> {
  const live = getLiveStream();
  if (!live) {
    throw new AppError('NOT_FOUND', 'no stream runs in this server', {
      hint: 'the scores are read when a stream starts: start one (telmark stream, or the demo) and they are used',
    });
  }
  return loadStoredModelResults(warehouse, live.engine);
}
