// A file's columns before its pass over the bytes: what a speculative insert needs to start
// (load-speculatively.ts). Reads up to the first newline only (through gunzip for a .gz file).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { FeedSpec } from '../../feeds/contract.ts';
import { headerColumns } from './inspect-file.ts';

/** A header longer than this is not peeked: the full pass judges it. */
const MOST_HEADER_BYTES = 1 << 16;

/**
 * The header's columns when they name every field of the contract once; undefined for anything the
 * pass over the bytes would have to word (no header, a missing or repeated column, an unreadable file).
 */
export async function peekColumns(path: string, gzip: boolean, spec: FeedSpec): Promise<string[] | undefined> {
  const file = createReadStream(path, { highWaterMark: MOST_HEADER_BYTES });
  const input = gzip ? file.pipe(createGunzip()) : file;
  const pieces: Buffer[] = [];
  let length = 0;
  let header: string | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const newline = chunk.indexOf(10);
      pieces.push(newline < 0 ? chunk : chunk.subarray(0, newline));
      length += chunk.length;
      if (newline >= 0) {
        header = Buffer.concat(pieces).toString('utf8');
        break;
      }
      if (length > MOST_HEADER_BYTES) break;
    }
  } catch {
    return undefined;
  } finally {
    file.destroy();
    if (input !== file) input.destroy();
  }
  if (header === undefined) return undefined;
  const columns = headerColumns(header);
  if (new Set(columns).size !== columns.length) return undefined;
  return spec.fields.every((f) => columns.includes(f.name)) ? columns : undefined;
}
