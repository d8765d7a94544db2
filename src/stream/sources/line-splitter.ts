// Splits bytes into lines without breaking multi-byte UTF-8 characters, tracking each line's end offset.

export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  /** `offset` is the byte position of the start of `chunk` in the whole input. */
  constructor(private offset = 0) {}

  push(chunk: Buffer): { text: string; end: number }[] {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const start = this.offset - this.rest.length;
    const lines: { text: string; end: number }[] = [];
    let from = 0;
    for (;;) {
      const nl = data.indexOf(10, from);
      if (nl < 0) break;
      lines.push({ text: data.toString('utf8', from, nl), end: start + nl + 1 });
      from = nl + 1;
    }
    this.rest = data.subarray(from);
    this.offset += chunk.length;
    return lines;
  }

  /** The unterminated last line, if any (at end of a file that is not followed). */
  end(): { text: string; end: number } | undefined {
    if (this.rest.length === 0) return undefined;
    const line = { text: this.rest.toString('utf8'), end: this.offset };
    this.rest = Buffer.alloc(0);
    return line;
  }
}
