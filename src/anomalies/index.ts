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
  type Severity,
  type StoredAnomaly,
  seriesKey,
  severities,
} from './warehouse/anomaly.ts';
export { type AnomalyFilter, listAnomalies, saveAnomalies } from './warehouse/anomaly-store.ts';
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
