// Output assembled as bytes in 256 kB buffers and handed over whole: text without a string per
// row. Joining rows as strings cost more than mining on T10I4D100K-sized output (each row a rope of
// small strings, flattened again at every join, and kept alive across young-generation collections).
const CHUNK = 1 << 18;

export class ByteWriter {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private at = 0;

  constructor(private readonly write: (chunk: Uint8Array) => void) {}

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }

  /** Bytes copied as they are (e.g. text encoded once and written many times). */
  bytes(data: Uint8Array): void {
    const length = data.length;
    this.room(length);
    const { buffer } = this;
    // a short copy by hand: set() costs a call into the runtime, which is most of a short copy
    if (length < 64) for (let k = 0; k < length; k++) buffer[this.at + k] = data[k]!;
    else buffer.set(data, this.at);
    this.at += length;
  }

  /** One ASCII character, by its code (',', '\n' ...): no trip through the UTF-8 encoder. */
  ascii(code: number): void {
    this.room(1);
    this.buffer[this.at++] = code;
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  /** A non-negative integer below 2^53. */
  integer(value: number): void {
    this.room(16);
    const { buffer } = this;
    if (value < 10) {
      buffer[this.at++] = 0x30 + value;
      return;
    }
    let digits = 0;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
    let end = this.at + digits;
    this.at = end;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) buffer[--end] = 0x30 + (v % 10);
  }

  /**
   * String(Math.round(x * 1e6) / 1e6) for finite x below 2^53 millionths, written from the integer
   * count of millionths instead of through the double-to-shortest-string conversion.
   */
  sixDecimals(x: number): void {
    const millionths = Math.round(x * 1e6);
    if (millionths === 0) {
      this.integer(0);
      return;
    }
    this.room(24);
    if (millionths < 0) this.buffer[this.at++] = 0x2d; // '-'
    const magnitude = Math.abs(millionths);
    const whole = Math.floor(magnitude / 1e6);
    let fraction = magnitude - whole * 1e6;
    this.integer(whole);
    if (fraction === 0) return;
    let digits = 6;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    const { buffer } = this;
    buffer[this.at++] = 0x2e; // '.'
    let end = this.at + digits;
    this.at = end;
    for (let d = 0; d < digits; d++) {
      buffer[--end] = 0x30 + (fraction % 10);
      fraction = Math.floor(fraction / 10);
    }
  }

  flush(): void {
    if (this.at === 0) return;
    // handed over, not reused: a pipe may still hold it after write() returns
    this.write(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }
}
