// A live count's drop or jump as an anomaly like any other (so alert routing groups, silences and
// sends it): the area as the dimension, the interval's local day, the count against its baseline.
import { type Anomaly, seriesKey } from '../warehouse/anomaly.ts';
import type { LiveCountChange } from './live-count-detector.ts';

export function liveChangeAnomaly(
  change: LiveCountChange,
  context: { area: string; day: string; at: string; intervalMinutes: number; zLimit: number },
): Anomaly {
  const dimensions = { area: context.area };
  const band = context.zLimit * change.spread;
  const share = Math.round((Math.abs(change.observed - change.expected) / Math.max(change.expected, 1)) * 100);
  const observed = change.observed.toLocaleString('en');
  const expected = Math.round(change.expected).toLocaleString('en');
  const drop = change.direction === 'drop';
  return {
    series: seriesKey('live_events', dimensions),
    kpi: 'live_events',
    dimensions,
    day: context.day,
    kind: 'live_change',
    observed: change.observed,
    expected: change.expected,
    bandLow: Math.max(0, change.expected - band),
    bandHigh: change.expected + band,
    score: change.z,
    pValue: null,
    // A drop of nine tenths or more looks like an outage: critical. Other sudden changes warn.
    severity: drop && change.observed <= change.expected * 0.1 ? 'critical' : 'warning',
    explanation: {
      zh: `${context.area} 实时信令（每 ${context.intervalMinutes} 分钟，${context.at}）：${observed}，预期 ${expected}，${drop ? '骤降' : '骤增'} ${share}%`,
      en: `live signalling in ${context.area} (per ${context.intervalMinutes} min, ${context.at}): ${observed} vs expected ${expected}, a sudden ${drop ? 'drop' : 'jump'} of ${share}%`,
    },
  };
}
