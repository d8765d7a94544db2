// The median of a histogram, as DuckDB's median() gives it for the values the histogram counts: the
// middle value, or the mean of the two middle values for an even count. ClickHouse analyses count
// per shard and value (a few hundred rows cross the network instead of every value), then take it here.

/** `counts` in ascending order of value; null when they count nothing. */
export function medianOfCounts(counts: readonly { value: number; count: number }[]): number | null {
  const n = counts.reduce((t, c) => t + c.count, 0);
  if (n === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const c of counts) {
      seen += c.count;
      if (k < seen) return c.value;
    }
    return counts.at(-1)!.value;
  };
  return n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}
