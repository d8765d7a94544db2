// Subscriber segments on the warehouse: k-means on profile and usage per day, each segment described
// by what sets it apart. The clustering runs in the mining worker, so a server keeps answering while
// it works (half a second of k-means on the main thread held every other request).
import { AppError } from '../../shared/errors.ts';
import type { MiningWarehouse } from './mining-warehouse.ts';
import { segmentInWorker } from '../models/index.ts';
import type { ChooseKMethod, KCandidate, SegmentTrait } from '../segments/index.ts';
import { encodeFeatures, inferFeatures } from '../table/index.ts';
import { labelFeature } from './feature-labels.ts';
import { describeTrait, nameSegments } from './name-segments.ts';
import { readSubscriberFeatures } from './subscriber-features.ts';
import { rowsToRawTable } from './warehouse-rows.ts';

/** What subscribers are segmented on: who they are, what they pay, how they use the network. */
export const segmentColumns = [
  'brand',
  'age',
  'tenure_days',
  'plan_fee',
  'sms_per_day',
  'wap_per_day',
  'vas_per_day',
  'services_held',
  'monthly_bill',
];

export interface SubscriberSegmentOptions {
  /** A fixed number of segments; otherwise chosen by `choose` up to `maxK`. */
  k?: number;
  choose: ChooseKMethod;
  maxK: number;
  seed: number;
}

export interface SubscriberSegments {
  k: number;
  method: string;
  rows: number;
  features: string[];
  candidates: KCandidate[];
  /** Feature labels in both languages, in the order of `features`. */
  featureLabels: { zh: string; en: string }[];
  segments: {
    id: number;
    /** Named from the profile, in both languages. */
    name: { zh: string; en: string };
    size: number;
    share: number;
    /** The traits that set it apart, in words with units. */
    profile: { zh: string; en: string }[];
    /** The same in raw field names, for scripts and logs. */
    description: string;
    traits: SegmentTrait[];
  }[];
}

/**
 * k-means over every subscriber's features in the mining worker: the one clustering behind the
 * segments page and the members kept for the trigger rules (segment-members.ts). `rows[i]` is in
 * segment `result.assignment[i]`.
 */
export async function clusterWarehouseSubscribers(warehouse: MiningWarehouse, options: SubscriberSegmentOptions) {
  const rows = await readSubscriberFeatures(warehouse);
  if (rows.length === 0)
    throw new AppError('WAREHOUSE_EMPTY', 'no subscribers to segment', { hint: 'load feeds first' });
  const raw = rowsToRawTable(rows, 'warehouse subscribers');
  const { features } = inferFeatures(
    raw,
    segmentColumns.filter((c) => raw.header.includes(c)),
  );
  const result = await segmentInWorker(encodeFeatures(raw, features), {
    k: options.k,
    choose: options.choose,
    maxK: options.maxK,
    seed: options.seed,
  });
  return { rows, raw, features, result };
}

export async function segmentSubscribers(
  warehouse: MiningWarehouse,
  options: SubscriberSegmentOptions,
): Promise<SubscriberSegments> {
  for (const [name, value] of Object.entries({ seed: options.seed, maxK: options.maxK, k: options.k })) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new AppError('INPUT_INVALID', `${name} must be a whole number, not ${value}`, {
        location: { field: name },
      });
    }
  }
  const { raw, features, result } = await clusterWarehouseSubscribers(warehouse, options);
  const names = nameSegments(result.segments);
  return {
    k: result.k,
    method: result.method,
    rows: raw.rowCount,
    features: features.map((f) => f.name),
    featureLabels: features.map((f) => {
      const { zh, en } = labelFeature(f.name);
      return { zh, en };
    }),
    candidates: result.candidates,
    segments: result.segments.map(({ id, size, share, description, traits }, i) => ({
      id,
      name: names[i]!,
      size,
      share,
      profile: traits.slice(0, 4).map(describeTrait),
      description,
      traits: traits.slice(0, 6),
    })),
  };
}
