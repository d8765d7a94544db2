// Two-sided CUSUM on standardised residuals (Page 1954): catches a level that moved by a little
// for several days, which no single day's z-score shows. k = 0.5 looks for shifts of about one
// spread; h = 8 gives an in-control run length of roughly 19,000 days (Siegmund's approximation),
// so a few hundred slices over a month raise well under one false level shift. Each residual is
// clipped to ±4, so one spike (the deviation detector's job) cannot trip it alone.

export const cusumDrift = 0.5;
export const cusumLimit = 8;
const clip = 4;

/** Indexes of the days on which the upward or downward sum crosses the limit (it restarts there). */
export function cusumAlarms(z: ArrayLike<number>): { index: number; direction: 1 | -1 }[] {
  const alarms: { index: number; direction: 1 | -1 }[] = [];
  let up = 0;
  let down = 0;
  for (let i = 0; i < z.length; i++) {
    const value = z[i] as number;
    if (!Number.isFinite(value)) continue;
    const x = Math.max(-clip, Math.min(clip, value));
    up = Math.max(0, up + x - cusumDrift);
    down = Math.max(0, down - x - cusumDrift);
    if (up > cusumLimit) {
      alarms.push({ index: i, direction: 1 });
      up = 0;
      down = 0;
    } else if (down > cusumLimit) {
      alarms.push({ index: i, direction: -1 });
      up = 0;
      down = 0;
    }
  }
  return alarms;
}
