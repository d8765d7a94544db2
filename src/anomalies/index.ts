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
