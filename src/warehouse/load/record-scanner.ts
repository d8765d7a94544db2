// Finds chosen records of a CSV file by their position, with the physical line each starts on and
// its raw text, scanning bytes rather than building strings. Records are counted the way DuckDB's
// reader counts them: blank lines are skipped, and a newline inside double quotes does not end one.

export interface FoundRecord {
  /** 0-based position among the data records (the header not counted). */
  index: number;
  /** 1-based physical line where the record starts. */
  line: number;
  raw: string;
}

export interface ScanResult {
  /** Data records in the file. */
  records: number;
  found: FoundRecord[];
}

const NEWLINE = 10;
const QUOTE = 34;
const CR = 13;

/** `wanted` holds record positions in ascending order. */
export async function scanRecords(input: AsyncIterable<Buffer>, wanted: readonly number[]): Promise<ScanResult> {
  const found: FoundRecord[] = [];
  let next = 0; // index into wanted
  let record = -2; // so that the header is record -1 and the first data record 0
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let inRecord = false; // inside a record that has content
  let keep: Buffer[] | undefined; // bytes of a wanted record being collected
  let firstChunk = true;
  let carry: Buffer | undefined; // the start of a line that may yet prove blank

  const endRecord = () => {
    if (keep) {
      let raw = Buffer.concat(keep).toString('utf8');
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      found.push({ index: record, line: recordLine, raw });
      keep = undefined;
      next++;
    }
    inRecord = false;
  };

  for await (let chunk of input) {
    if (firstChunk && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    firstChunk = false;
    if (carry) {
      chunk = Buffer.concat([carry, chunk]);
      carry = undefined;
    }
    let position = 0;
    while (position < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, position);
      const stop = newline < 0 ? chunk.length : newline;
      if (!inRecord) {
        if (newline < 0 && stop - position <= 1) {
          carry = chunk.subarray(position); // "" or "\r": blank or not, the next chunk tells
          break;
        }
        const blank = stop === position || (stop === position + 1 && chunk[position] === CR);
        if (!blank) {
          inRecord = true;
          record++;
          recordLine = line;
          if (record === wanted[next]) keep = [];
        }
      }
      if (inRecord) {
        // Quote state changes only where a quote appears; most lines have none.
        let quote = chunk.indexOf(QUOTE, position);
        while (quote >= 0 && quote < stop) {
          inQuotes = !inQuotes; // "" inside quotes toggles twice: no change, as it should
          quote = chunk.indexOf(QUOTE, quote + 1);
        }
        if (keep) keep.push(chunk.subarray(position, stop));
      }
      if (newline < 0) break;
      line++;
      if (inRecord) {
        if (inQuotes) {
          if (keep) keep.push(chunk.subarray(newline, newline + 1));
        } else endRecord();
      }
      position = newline + 1;
    }
  }
  if (carry && carry.length > 0 && carry[0] !== CR) {
    record++;
    recordLine = line;
    if (record === wanted[next]) keep = [carry];
    inRecord = true;
  }
  if (inRecord) endRecord();
  return { records: record + 1, found };
}
