// Connections for the read-only routes, beside the one the loader and the stream write on: a
// dashboard request runs on a reader instead of queueing behind a load or the stream's writes.
import type { Warehouse } from '../warehouse/index.ts';

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
