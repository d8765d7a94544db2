// Writes one feed file: lines are batched into large strings and written with backpressure, so
// memory stays constant however many rows a feed has. Optionally gzip-compressed.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type FeedName, feeds } from '../feeds/contract.ts';
import { AppError } from '../shared/errors.ts';

/** Bytes batched before a write: large enough to keep syscalls rare, small enough to stay flat in memory. */
const BATCH_BYTES = 1 << 22;

export interface WrittenFile {
  file: string;
  feed: FeedName;
  rows: number;
  /** Uncompressed bytes. */
  bytes: number;
}

/** Node's Buffer has had `utf8Write` for ever; it skips `write()`'s argument juggling, which costs more than the copy. */
interface EncodingBuffer {
  utf8Write(text: string, offset: number): number;
}

export class FeedWriter {
  // Rows are encoded straight into a Buffer: the row strings die young, so garbage collection stays
  // cheap; a full Buffer is handed to the stream as it is and a fresh one taken.
  private buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  private position = 0;
  private rows = 0;
  private bytes = 0;

  private constructor(
    readonly file: string,
    readonly feed: FeedName,
    private readonly head: Writable,
    private readonly sink: Writable,
  ) {}

  /** Opens `<dir>/<fileName>` and writes the contract's header. */
  static open(dir: string, fileName: string, feed: FeedName, gzip: boolean): FeedWriter {
    const name = gzip ? `${fileName}.gz` : fileName;
    const sink = createWriteStream(join(dir, name), { highWaterMark: 1 << 20 });
    const head = gzip ? createGzip({ level: 1 }) : sink;
    if (gzip) head.pipe(sink);
    const writer = new FeedWriter(name, feed, head, sink);
    writer.position = writer.buffer.write(`${feeds[feed].fields.map((f) => f.name).join(',')}\n`, 0);
    return writer;
  }

  /** Adds one row; `text` ends with a newline. */
  line(text: string): void {
    if (this.position + text.length * 3 > BATCH_BYTES) this.handOver();
    this.position += (this.buffer as unknown as EncodingBuffer).utf8Write(text, this.position);
    this.rows++;
  }

  /**
   * For encoders that write bytes themselves (the signalling feed): makes room for `maxBytes`, after
   * which they write into `target` from `at` and call `commit` with the end position.
   */
  reserve(maxBytes: number): void {
    if (this.position + maxBytes > BATCH_BYTES) this.handOver();
  }

  get target(): Buffer {
    return this.buffer;
  }

  get at(): number {
    return this.position;
  }

  /** Moves the position inside a row being encoded (the row is counted by `commit`). */
  seek(position: number): void {
    this.position = position;
  }

  commit(end: number): void {
    this.position = end;
    this.rows++;
  }

  /** True when the stream has more queued than it wants: await `flushIfFull()` soon. */
  get full(): boolean {
    return this.head.writableNeedDrain;
  }

  /** Waits for the stream to drain when it is over its high-water mark (backpressure). */
  async flushIfFull(): Promise<void> {
    if (this.head.writableNeedDrain) await once(this.head, 'drain');
  }

  async flush(): Promise<void> {
    this.handOver();
    await this.flushIfFull();
  }

  private handOver(): void {
    if (this.position === 0) return;
    this.head.write(this.buffer.subarray(0, this.position));
    this.bytes += this.position;
    this.buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.position = 0;
  }

  async close(): Promise<WrittenFile> {
    this.handOver();
    this.head.end();
    try {
      await finished(this.sink);
    } catch (error) {
      throw new AppError('INTERNAL', `could not write ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    return { file: this.file, feed: this.feed, rows: this.rows, bytes: this.bytes };
  }
}
