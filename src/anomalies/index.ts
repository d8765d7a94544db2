// The anomalies domain: the generic series detector and the warehouse detectors.
export {
  alertThreshold,
  type DetectedSeries,
  type DetectorStep,
  defaultSeriesDetectorOptions,
  detectSeries,
  SeriesDetector,
  type SeriesDetectorOptions,
  seasonPointsFor,
} from './series/series-detector.ts';
export { parseTime, readSeriesCsv, type SeriesCsv } from './series/read-series-csv.ts';
export {
  type Anomaly,
  type AnomalyKind,
  appendedKinds,
  type Severity,
  type StoredAnomaly,
  seriesKey,
  severities,
} from './warehouse/anomaly.ts';
export {
  type AnomalyFilter,
  type AnomalyList,
  appendAnomalies,
  listAnomalies,
  saveAnomalies,
} from './warehouse/anomaly-store.ts';
export { benjaminiHochberg } from './warehouse/benjamini-hochberg.ts';
export { cusumAlarms } from './warehouse/cusum.ts';
export { judgeDay } from './warehouse/daily-baseline.ts';
export {
  defaultFalseDiscoveryRate,
  detectWarehouseAnomalies,
  type WarehouseDetection,
  type WarehouseDetectionOptions,
} from './warehouse/detect-warehouse-anomalies.ts';
export { sliceFamilies } from './warehouse/kpi-slices.ts';
export {
  defaultLiveCountOptions,
  type LiveCountChange,
  LiveCountDetector,
  type LiveCountOptions,
} from './live/live-count-detector.ts';
export { liveChangeAnomaly } from './live/live-change-anomaly.ts';
export {
  defaultGroupChangeOptions,
  detectGroupChanges,
  type GroupChangeOptions,
  type GroupSource,
  segmentGroupSources,
} from './warehouse/group-change.ts';
