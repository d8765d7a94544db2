// A key of the contract loaded already from another file is quarantined naming that file; this adds
// the line of the first occurrence when that file is in the folder being loaded. It reads those
// files again with line numbers, so it runs only when such duplicates were found (the slow path).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Warehouse } from '../warehouse.ts';
import { ALREADY_LOADED } from './compile-feed-sql.ts';
import { readCsvRecords } from './csv-records.ts';

export interface KnownFile {
  /** The UTF-8 text to read (a transcoded copy for GBK input). */
  readPath: string;
  gzip: boolean;
  columns: readonly string[];
}

/** Appends ` line N` to the staged reasons `<key> "<value>" was loaded already from <file>`. */
export async function addFirstLines(
  warehouse: Warehouse,
  key: readonly string[],
  known: ReadonlyMap<string, KnownFile>,
): Promise<void> {
  const reasons = await warehouse.all<{ reason: string }>(
    'SELECT DISTINCT reason FROM temp.main.quarantine_stage WHERE contains(reason, ?)',
    [ALREADY_LOADED],
  );
  const wanted = new Map<string, Map<string, string>>(); // file → key text → reason
  for (const { reason } of reasons) {
    const at = reason.lastIndexOf(ALREADY_LOADED);
    const prefix = reason.slice(0, at);
    const keyText = prefix.slice(prefix.indexOf('"') + 1, -1);
    const file = reason.slice(at + ALREADY_LOADED.length);
    if (!known.has(file)) continue;
    wanted.set(file, (wanted.get(file) ?? new Map<string, string>()).set(keyText, reason));
  }
  const lines: { reason: string; line: number }[] = [];
  for (const [file, keys] of wanted) {
    const { readPath, gzip, columns } = known.get(file)!;
    const at = key.map((k) => columns.indexOf(k));
    const source = createReadStream(readPath);
    const input = gzip ? source.pipe(createGunzip()) : source;
    input.setEncoding('utf8');
    let header = true;
    try {
      for await (const record of readCsvRecords(input as AsyncIterable<string>, { columns: columns.length })) {
        if (header) {
          header = false;
          continue;
        }
        if (record.strayQuote) continue;
        const keyText = at.map((i) => record.fields[i] ?? '').join(',');
        const reason = keys.get(keyText);
        if (reason === undefined) continue;
        lines.push({ reason, line: record.line });
        keys.delete(keyText);
        if (keys.size === 0) break;
      }
    } finally {
      source.destroy();
    }
  }
  if (lines.length === 0) return;
  await warehouse.run('CREATE OR REPLACE TEMP TABLE first_lines (reason VARCHAR, line BIGINT)');
  const appender = await warehouse.raw.createAppender('first_lines', 'main', 'temp');
  try {
    for (const { reason, line } of lines) {
      appender.appendVarchar(reason);
      appender.appendBigInt(BigInt(line));
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
  await warehouse.run(
    `UPDATE temp.main.quarantine_stage q SET reason = q.reason || ' line ' || f.line
     FROM temp.main.first_lines f WHERE q.reason = f.reason`,
  );
  await warehouse.run('DROP TABLE temp.main.first_lines');
}
