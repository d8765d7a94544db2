export { elbowIndex, meanSilhouette, withinSumOfSquares } from './choose-k.ts';
export { describeSegment, type SegmentTrait } from './describe-segment.ts';
export {
  type ChooseKMethod,
  type KCandidate,
  type Segment,
  type Segmentation,
  type SegmentOptions,
  segmentTable,
} from './kmeans-segments.ts';
export { nameRfmSegment, quintileScores, type RfmScore, type RfmSegmentName, rfmSegments } from './rfm-segments.ts';
