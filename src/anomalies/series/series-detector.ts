// The generic detector behind `telmark detect`: judges each point only from the points before it
// and keeps O(window) state, so it runs on a live feed as well as on a file.
//
// Two views of the same point, averaged into a score in [0, 1]:
//  - deviation: how far the point lies from what the recent past predicts. Two predictors, the
//    moving median of the last `levelWindow` points and the value one season ago (plus the median
//    seasonal difference); a point counts as deviating only when neither explains it (the smaller of
//    the two robust z-scores). The z-scores are averaged over `averagePoints` points and turned into
//    an "anomaly likelihood" as in Numenta's HTM detector: the normal tail probability of that
//    average against the mean and spread of the averages over the last `historyPoints` points, so a
//    noisy series has to deviate more than a quiet one before it alarms.
//    A single point whose z-score lies beyond the extreme-value tail of the recent z-scores (risk
//    `spikeRisk`, peaks over threshold) is full evidence on its own: a lone spike that the averaging
//    would dilute, judged against how spiky this series has been rather than against a fixed bar.
//  - novelty: the share of the last 10 points whose context (the last 4 values, each cut into one of
//    6 bins of the range seen at the start) never occurred before. New shapes are anomalies;
//    a pattern seen before, however wild, is not.
// An alert is raised when the score reaches 0.5 (a deviation tail of 1e-5, or novelty plus a
// milder deviation), and then no new alert for `quietPoints` points: one incident, one alert.

import { normalTail } from './normal-tail.ts';
import { PeaksOverThreshold } from './peaks-over-threshold.ts';
import { RollingQuantiles } from './rolling-quantiles.ts';

export interface SeriesDetectorOptions {
  /** Points in the moving window of the local level (median and spread). */
  levelWindow: number;
  /** Points of one seasonal cycle; 0 for none. `detectSeries` derives it from the timestamps. */
  seasonPoints: number;
  /** Points over which the deviation is averaged before its tail probability is taken. */
  averagePoints: number;
  /** Points of history that the averaged deviation is compared against. */
  historyPoints: number;
  /** Tail probability of the averaged deviation at which the deviation alone reaches the threshold. */
  alertTail: number;
  /** Points after an alert during which no new alert is raised. */
  quietPoints: number;
  /** Tail probability of a single point's z-score, against the extreme-value tail of the recent ones, that alarms alone. */
  spikeRisk: number;
}

export const defaultSeriesDetectorOptions: SeriesDetectorOptions = {
  levelWindow: 100,
  seasonPoints: 0,
  averagePoints: 15,
  historyPoints: 2000,
  alertTail: 1e-5,
  quietPoints: 300,
  spikeRisk: 1e-5,
};

/** The alert threshold on the score; fixed, the options move the evidence needed to reach it. */
export const alertThreshold = 0.5;

// Fixed inner constants (explained in docs/anomalies.md; not options, so that nobody tunes them per series).
const seasonWindow = 400;
const minimumWindow = 10;
const warmupPoints = 50;
const zCap = 50;
const noveltyWindow = 10;
const noveltyBins = 6;
const contextLength = 4;
const rangePoints = 150;
// Novelty alone stays under the threshold (0.45 < 0.5): a new shape alarms only when it also deviates,
// and by at least a quarter of the deviation evidence (a tail of about 3e-2), so that a new shape in
// ordinary noise (tweet counts after a burst) is no alarm.
const noveltyWeight = 0.45;
const noveltyNeedsDeviation = 0.25;
const seasonsRemembered = 3;
// The single-point tail: z-scores of the last 5,000 points (not capped: the size of a lone spike is
// all the information it has), the top 2 % as peaks, and none before 500 points, so that the fit
// has 10 peaks to start from. A spike must also lie 6 robust widths out: the fitted end point of a
// light tail is estimated from a hundred peaks and sits too close to the largest of them, so without
// this floor plain Gaussian noise would break it about once in 10,000 points.
const spikeHistory = 5000;
const spikePeakShare = 0.02;
const spikeWarmup = 500;
const spikeMinimumZ = 6;
// A moment fit needs peaks of many sizes; on a quantised series the peaks take two or three values
// and the fitted tail can come out far too heavy. Twice the largest z-score of the window is a spike
// whatever the fit says.
const spikeRecordFactor = 2;
const noveltyStart = 2 * rangePoints;
// A window's spread is the larger of two robust estimates: the interquartile range and the 10–90 %
// range, each scaled to a normal's standard deviation. The wider one keeps quantised series (CPU
// percentages that take three values, counts that are mostly 0) from getting a spread of nearly zero
// and then alarming on every ordinary step.
const spreadFromIqr = 1 / 1.349;
const spreadFromDecileRange = 1 / 2.563;
// The seasonal predictor alone decides when its spread is under half the local level's: on a strong
// cycle the level's window covers the whole wave and would excuse anything inside it.
const seasonalMargin = 0.5;
// Where the seasonal predictor's mean absolute error (over about `seasonWindow` points) is under half
// the local level's, the season alone decides too: then a rise that is due and does not come (the
// daily jump that did not happen) counts, though the value stays at the level of the last hours.
const seasonalErrorMargin = 0.5;
// Bins beyond ±1000 widths of the starting range share one bin, so a context key stays an exact integer.
const binLimit = 1000;

export interface DetectorStep {
  score: number;
  alert: boolean;
}

export class SeriesDetector {
  private readonly o: SeriesDetectorOptions;
  private readonly level: RollingQuantiles;
  private readonly season: RollingQuantiles;
  private readonly steps: RollingQuantiles;
  private readonly lagRing: Float64Array;
  private readonly averageRing: Float64Array;
  private readonly historyRing: Float64Array;
  private readonly noveltyRing: Uint8Array;
  private readonly context: number[] = [];
  private readonly contextsSeen = new Set<number>();
  private points = 0;
  private finitePoints = 0;
  private averageSum = 0;
  private historySum = 0;
  private historySquares = 0;
  private historyCount = 0;
  private noveltySum = 0;
  private rangeLow = Number.POSITIVE_INFINITY;
  private rangeHigh = Number.NEGATIVE_INFINITY;
  private binWidth = 1;
  private previous = Number.NaN;
  private readonly spikes = new PeaksOverThreshold(spikeHistory, spikePeakShare);
  private lastAlertAt = Number.NEGATIVE_INFINITY;
  private levelError = 0;
  private seasonError = 0;

  constructor(options: Partial<SeriesDetectorOptions> = {}) {
    this.o = { ...defaultSeriesDetectorOptions, ...options };
    this.level = new RollingQuantiles(this.o.levelWindow);
    this.season = new RollingQuantiles(seasonWindow);
    this.steps = new RollingQuantiles(this.o.levelWindow);
    this.lagRing = new Float64Array(Math.max(this.o.seasonPoints * seasonsRemembered, 1)).fill(Number.NaN);
    this.averageRing = new Float64Array(this.o.averagePoints);
    this.historyRing = new Float64Array(this.o.historyPoints);
    this.noveltyRing = new Uint8Array(noveltyWindow);
  }

  /** Scores the next point (NaN for a missing one: score 0, no alert, and no effect on the state). */
  step(value: number): DetectorStep {
    const t = this.points++;
    const seasonAgo = this.seasonalBaseline(t);
    if (this.o.seasonPoints > 0) this.lagRing[t % this.lagRing.length] = value;
    if (!Number.isFinite(value)) return { score: 0, alert: false };

    const deviation = this.deviationScore(value, seasonAgo);
    const novelty = this.noveltyScore(value);
    let score = (1 - noveltyWeight) * deviation + noveltyWeight * novelty;
    let alert = false;
    if (score >= alertThreshold) {
      if (t - this.lastAlertAt <= this.o.quietPoints || deviation < noveltyNeedsDeviation) {
        score = Math.min(score, alertThreshold - 0.001);
      } else {
        this.lastAlertAt = t;
        alert = true;
      }
    }
    this.finitePoints += 1;
    return { score, alert };
  }

  /** The median of the same phase in the last three seasons, so one bad day does not echo a week later. */
  private seasonalBaseline(t: number): number {
    const p = this.o.seasonPoints;
    if (p <= 0) return Number.NaN;
    const seen: number[] = [];
    for (let s = 1; s <= seasonsRemembered && t - s * p >= 0; s++) {
      const v = this.lagRing[(t - s * p) % this.lagRing.length] as number;
      if (Number.isFinite(v)) seen.push(v);
    }
    if (seen.length === 0) return Number.NaN;
    if (seen.length === 1) return seen[0] as number;
    if (seen.length === 2) return ((seen[0] as number) + (seen[1] as number)) / 2;
    seen.sort((a, b) => a - b);
    return seen[1] as number;
  }

  private deviationScore(value: number, seasonAgo: number): number {
    let z = 0;
    if (this.level.count >= minimumWindow) {
      const median = this.level.quantile(0.5);
      const floor = 1e-9 + 1e-3 * Math.abs(median);
      const spread = robustSpread(this.level, floor);
      z = Math.abs(value - median) / spread;
      // A jump from the previous point counts even when it stays inside the window's range
      // (a spike on a strong daily wave): the level's deviation is the larger of the two.
      if (this.steps.count >= minimumWindow) {
        const stepSpread = robustSpread(this.steps, floor);
        z = Math.max(z, Math.abs(value - this.previous - this.steps.quantile(0.5)) / stepSpread);
      }
      if (Number.isFinite(seasonAgo) && this.season.count >= minimumWindow) {
        const seasonalSpread = robustSpread(this.season, floor);
        const seasonalMiss = Math.abs(value - seasonAgo - this.season.quantile(0.5));
        const zSeason = seasonalMiss / seasonalSpread;
        this.levelError += (Math.abs(value - median) - this.levelError) / seasonWindow;
        this.seasonError += (seasonalMiss - this.seasonError) / seasonWindow;
        const seasonPredictsBetter =
          this.season.count >= seasonWindow && this.seasonError < seasonalErrorMargin * this.levelError;
        z = seasonalSpread < seasonalMargin * spread || seasonPredictsBetter ? zSeason : Math.min(z, zSeason);
      }
    }
    this.level.push(value);
    if (Number.isFinite(this.previous)) this.steps.push(value - this.previous);
    this.previous = value;
    if (Number.isFinite(seasonAgo)) this.season.push(value - seasonAgo);

    const k = this.finitePoints % this.o.averagePoints;
    const raw = Math.min(z, zCap);
    this.averageSum += raw - (this.averageRing[k] as number);
    this.averageRing[k] = raw;
    const average = this.averageSum / Math.min(this.finitePoints + 1, this.o.averagePoints);

    let score = 0;
    if (this.historyCount >= warmupPoints) {
      const mean = this.historySum / this.historyCount;
      const sd = Math.sqrt(Math.max(this.historySquares / this.historyCount - mean * mean, 0));
      const tail = normalTail((average - mean) / Math.max(sd, 0.03));
      score = Math.min(1, Math.log10(Math.max(tail, 1e-300)) / (2 * Math.log10(this.o.alertTail)));
    }
    if (this.finitePoints >= spikeWarmup) {
      const beyondTail = this.spikes.tail(z) < this.o.spikeRisk;
      if (z >= spikeMinimumZ && (beyondTail || z >= spikeRecordFactor * this.spikes.max())) score = 1;
    }
    this.spikes.push(z);
    const h = this.finitePoints % this.o.historyPoints;
    if (this.historyCount === this.o.historyPoints) {
      const old = this.historyRing[h] as number;
      this.historySum -= old;
      this.historySquares -= old * old;
    } else this.historyCount += 1;
    this.historyRing[h] = average;
    this.historySum += average;
    this.historySquares += average * average;
    return Math.max(score, 0);
  }

  private noveltyScore(value: number): number {
    const n = this.finitePoints;
    if (n < rangePoints) {
      this.rangeLow = Math.min(this.rangeLow, value);
      this.rangeHigh = Math.max(this.rangeHigh, value);
      this.binWidth = (this.rangeHigh - this.rangeLow) / noveltyBins || 1;
    }
    const bin = Math.floor((value - this.rangeLow) / this.binWidth);
    this.context.push(Math.max(-binLimit, Math.min(binLimit, bin)) + binLimit);
    if (this.context.length > contextLength) this.context.shift();
    let key = 0;
    for (const b of this.context) key = key * (2 * binLimit + 1) + b;
    key = key * 8 + this.context.length;
    const novel = this.contextsSeen.has(key) ? 0 : 1;
    if (novel) this.contextsSeen.add(key);
    const k = n % noveltyWindow;
    this.noveltySum += novel - (this.noveltyRing[k] as number);
    this.noveltyRing[k] = novel;
    return n >= noveltyStart ? Math.min(1, this.noveltySum / noveltyWindow) : 0;
  }
}

function robustSpread(window: RollingQuantiles, floor: number): number {
  const iqr = (window.quantile(0.75) - window.quantile(0.25)) * spreadFromIqr;
  const deciles = (window.quantile(0.9) - window.quantile(0.1)) * spreadFromDecileRange;
  return Math.max(iqr, deciles, floor);
}

/** Points of one cycle from the sampling step: a day for sub-daily data, a week for daily data. */
export function seasonPointsFor(stepSec: number): number {
  if (!(stepSec > 0)) return 0;
  const day = 86_400;
  if (stepSec < day) {
    const points = Math.round(day / stepSec);
    return points >= 4 && points <= 5000 ? points : 0;
  }
  if (stepSec <= 2 * day) return Math.round((7 * day) / stepSec);
  return 0;
}

export interface DetectedSeries {
  scores: Float64Array;
  alerts: Uint8Array;
  seasonPoints: number;
}

/**
 * Runs the detector over a whole series. The season is taken from the median step of the first
 * timestamps (times in epoch seconds; pass an empty array for no season).
 */
export function detectSeries(
  timesSec: Float64Array,
  values: Float64Array,
  options: Partial<SeriesDetectorOptions> = {},
): DetectedSeries {
  const seasonPoints = options.seasonPoints ?? seasonPointsFor(medianStep(timesSec));
  const detector = new SeriesDetector({ ...options, seasonPoints });
  const scores = new Float64Array(values.length);
  const alerts = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const { score, alert } = detector.step(values[i] as number);
    scores[i] = score;
    alerts[i] = alert ? 1 : 0;
  }
  return { scores, alerts, seasonPoints };
}

function medianStep(timesSec: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < Math.min(timesSec.length, 21); i++) {
    const d = (timesSec[i] as number) - (timesSec[i - 1] as number);
    if (d > 0) steps.push(d);
  }
  if (steps.length === 0) return 0;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] as number;
}
