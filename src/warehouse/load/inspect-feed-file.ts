// The pass over one feed file's bytes as a batch runs it: the hash, the header, the line count and,
// where the feed's references are at hand, the proof of its records (record-validator.ts).
import { join } from 'node:path';
import { feeds } from '../../feeds/contract.ts';
import type { ByteKeySet } from './byte-key-set.ts';
import type { FeedFile, LoadBatchOptions } from './feed-file.ts';
import type { FilePeriod } from './file-period.ts';
import { type InspectedFile, inspectFile } from './inspect-file.ts';
import { RecordValidator } from './record-validator.ts';

export interface FeedFileInspection {
  file: FeedFile;
  period: FilePeriod | undefined;
  /** The key sets of the feed's references; none, and the records are not proven. */
  references: ReadonlyMap<string, ByteKeySet> | undefined;
  /** Told at the first record the pass cannot prove (see RecordValidatorOptions). */
  onDoubt?: ((why: string) => void) | undefined;
}

export function inspectFeedFile(
  { file, period, references, onDoubt }: FeedFileInspection,
  options: LoadBatchOptions,
): Promise<InspectedFile> {
  return inspectFile(file.path, file.fileName, feeds[file.feed], {
    encoding: options.encoding,
    gzip: file.gzip,
    scratchPath: join(options.scratchDir, `${file.fileName}.utf8.csv`),
    ...(references
      ? {
          validator: new RecordValidator(feeds[file.feed], {
            references,
            ...(period ? { period: { from: period.from, until: period.until } } : {}),
            ...(onDoubt ? { onDoubt } : {}),
          }),
        }
      : {}),
  });
}
