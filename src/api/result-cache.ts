// Answers of the read-only KPI and analysis routes, kept until the warehouse's data version changes,
// and the connections that compute them. A dashboard asks the same few questions over and over (every
// analyst opening the overview): without the cache, eight analysts opening it together wait for eight
// identical computations. Concurrent identical requests share one computation; different ones run on
// a few reader connections side by side instead of queueing on the one the loader and stream use.
import { dataVersion, type Warehouse } from '../warehouse/index.ts';

interface Entry {
  version: string;
  value: Promise<unknown>;
}

export type CacheOutcome = 'hit' | 'miss';

export class ResultCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly warehouse: Warehouse,
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

  get size(): number {
    return this.entries.size;
  }
}

/** A few extra connections for read-only requests; each request takes the least busy one. */
export class ReaderPool {
  private readonly busy: number[];

  private constructor(private readonly readers: Warehouse[]) {
    this.busy = readers.map(() => 0);
  }

  static async open(warehouse: Warehouse, size: number): Promise<ReaderPool> {
    const readers: Warehouse[] = [];
    for (let i = 0; i < size; i++) readers.push(await warehouse.connectAnother());
    return new ReaderPool(readers);
  }

  async use<T>(work: (reader: Warehouse) => Promise<T>): Promise<T> {
    let index = 0;
    for (let i = 1; i < this.readers.length; i++) if (this.busy[i]! < this.busy[index]!) index = i;
    this.busy[index]!++;
    try {
      return await work(this.readers[index]!);
    } finally {
      this.busy[index]!--;
    }
  }

  close(): void {
    for (const reader of this.readers) reader.close();
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
