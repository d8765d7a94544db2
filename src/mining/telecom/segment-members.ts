// Subscriber segments kept in the warehouse for the real-time rules (`who.segments`): the same k-means
// as the segments page (subscriber-segments.ts), with each subscriber's segment written to
// mining_segment_members under a model version, so a trigger can aim at "segment-3" without a CSV.
import type { Clock } from '../../shared/clock.ts';
import { sqlTimestamp } from '../../warehouse/index.ts';
import { type MiningWarehouse, writeModelResults } from './mining-warehouse.ts';
import { clusterWarehouseSubscribers, type SubscriberSegmentOptions } from './subscriber-segments.ts';

/** The name rules use for segment `id` (0-based) of a segmentation. */
export const segmentName = (id: number) => `segment-${id + 1}`;

export interface SavedSegments {
  modelVersion: string;
  members: number;
  segments: { name: string; size: number; share: number; description: string }[];
}

export async function saveSegmentMembers(
  warehouse: MiningWarehouse,
  options: SubscriberSegmentOptions & { clock: Clock },
): Promise<SavedSegments> {
  const { rows, result } = await clusterWarehouseSubscribers(warehouse, options);
  const at = sqlTimestamp(options.clock.now());
  const modelVersion = `segments-k${result.k}-${at.replace(/[^0-9]/g, '').slice(0, 14)}`;
  const members = rows.map((row, i) => [String(row.msisdn), segmentName(result.assignment[i]!), modelVersion, at]);
  await writeModelResults(warehouse, modelVersion, [
    { table: 'mining_segment_members', columns: ['msisdn', 'segment', 'model_version', 'assigned_at'], rows: members },
  ]);
  return {
    modelVersion,
    members: members.length,
    segments: result.segments.map((s) => ({
      name: segmentName(s.id),
      size: s.size,
      share: s.share,
      description: s.description,
    })),
  };
}
