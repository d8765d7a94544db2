// A subscriber's usage level on a day: their activity, falling towards the close for churners.
import { plantedPatterns } from './planted-patterns.ts';
import type { SubscriberPopulation } from './subscriber-population.ts';

export function usageLevel(population: SubscriberPopulation, i: number, day: number): number {
  const activity = population.activity[i]!;
  const untilClose = population.closeDay[i]! - day;
  const { rampDays, floor } = plantedPatterns.churn.fallingUsage;
  if (untilClose >= rampDays) return activity;
  return activity * (floor + ((1 - floor) * Math.max(0, untilClose)) / rampDays);
}
