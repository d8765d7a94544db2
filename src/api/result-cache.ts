// Answers of the read-only KPI and analysis routes, kept until the warehouse's data version changes.
// A dashboard asks the same few questions over and over (every analyst opening the overview): without
// the cache, eight analysts opening it together wait for eight identical computations. Concurrent
// identical requests share one computation.
import { dataVersion, type QueryWarehouse } from '../warehouse/index.ts';

interface Entry {
  version: string;
  value: Promise<unknown>;
}

export type CacheOutcome = 'hit' | 'miss';

export class ResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly warehouse: QueryWarehouse,
    private readonly maxEntries = 500,
  ) {}

  /** The cached answer for `key` at the current data version, or `compute()`'s, remembered when it succeeds. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; outcome: CacheOutcome }> {
    const version = await dataVersion(this.warehouse);
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Map order is insertion order: re-inserting keeps the most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { value: (await hit.value) as T, outcome: 'hit' };
    }
    const entry: Entry = { version, value: compute() };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    try {
      return { value: (await entry.value) as T, outcome: 'miss' };
    } catch (error) {
      // Failures (a bad filter value, a query error) are answered each time, never kept.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }
}

/** The cache key of a request: its path and its query parameters in a fixed order. */
export function requestKey(path: string, query: Readonly<Record<string, unknown>>): string {
  const parts = Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(query[k])}`);
  return `${path}?${parts.join('&')}`;
}
