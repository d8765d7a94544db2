// The slow path of a load, taken only when the fast path left rows behind: find the bad rows with
// the very same compiled checks, and keep each with its line, field, reason and raw text in a
// scratch table for the load transaction to quarantine.
// First try: DuckDB reads the file again in order and names the bad records by position, and a byte
// scan finds their lines and raw text. That holds when DuckDB skipped no record as unparseable (the
// counts agree); otherwise our own reader parses every record with its line number (slower).
import { createReadStream } from 'node:fs';
import { BIGINT, DuckDBDataChunk, type DuckDBValue, VARCHAR } from '@duckdb/node-api';
import { createGunzip } from 'node:zlib';
import type { Warehouse } from '../warehouse.ts';
import { sqlIdentifier as ident } from '../sql-text.ts';
import type { CompiledFeed } from './compile-feed-sql.ts';
import { readCsvRecords } from './csv-records.ts';
import { readCsvSql } from './read-csv-sql.ts';
import { scanRecords } from './record-scanner.ts';

/** DuckDB's vector size: one data chunk. */
const CHUNK_ROWS = 2048;

export interface BadRowCount {
  records: number;
  bad: number;
}

export async function explainBadRows(
  warehouse: Warehouse,
  options: { path: string; gzip: boolean; columns: string[]; compiled: CompiledFeed },
): Promise<BadRowCount> {
  // The first try appends nothing unless it succeeds, so the fallback starts on an empty stage too.
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE quarantine_stage (line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)`,
  );
  return (await explainByPosition(warehouse, options)) ?? (await explainByReading(warehouse, options));
}

async function explainByPosition(
  warehouse: Warehouse,
  options: { path: string; gzip: boolean; columns: string[]; compiled: CompiledFeed },
): Promise<BadRowCount | undefined> {
  const { columns, compiled } = options;
  // Insertion order is kept, so a row's position in this table is its position among the records.
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE record_stage AS SELECT * FROM ${readCsvSql([options.path], columns)}`,
  );
  const staged = await warehouse.scalar('SELECT count(*) FROM temp.main.record_stage');
  const bad = await warehouse.all<{ position: number; field: string; reason: string }>(
    `SELECT src.__position AS position, ${compiled.failedField} AS field, ${compiled.failureReason} AS reason
     FROM ${compiled.relation('(SELECT *, rowid - (SELECT min(rowid) FROM temp.main.record_stage) AS __position FROM temp.main.record_stage)', { passThrough: ['__position'] })}
     WHERE ${compiled.failedField} IS NOT NULL ORDER BY position`,
  );
  await warehouse.run('DROP TABLE temp.main.record_stage');
  let input: NodeJS.ReadableStream = createReadStream(options.path);
  if (options.gzip) input = input.pipe(createGunzip());
  const scan = await scanRecords(
    input as AsyncIterable<Buffer>,
    bad.map((b) => b.position),
  );
  if (scan.records !== staged || scan.found.length !== bad.length) return undefined;
  const appender = await warehouse.raw.createAppender('quarantine_stage', 'main', 'temp');
  try {
    bad.forEach((b, i) => {
      appender.appendBigInt(BigInt(scan.found[i]!.line));
      appender.appendVarchar(b.field);
      appender.appendVarchar(b.reason);
      appender.appendVarchar(scan.found[i]!.raw);
      appender.endRow();
    });
  } finally {
    appender.closeSync();
  }
  return { records: staged, bad: bad.length };
}

async function explainByReading(
  warehouse: Warehouse,
  options: { path: string; gzip: boolean; columns: string[]; compiled: CompiledFeed },
): Promise<BadRowCount> {
  const { columns, compiled } = options;
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE record_stage (line BIGINT, raw VARCHAR, ${columns.map((c) => `${ident(c)} VARCHAR`).join(', ')})`,
  );
  const stage = await warehouse.raw.createAppender('record_stage', 'main', 'temp');
  const shapeErrors = await warehouse.raw.createAppender('quarantine_stage', 'main', 'temp');
  // Rows go in as column chunks: per-value appends cost several times more.
  const types = [BIGINT, VARCHAR, ...columns.map(() => VARCHAR)];
  let chunkColumns: DuckDBValue[][] = types.map(() => []);
  let chunkRows = 0;
  const flush = () => {
    if (chunkRows === 0) return;
    const chunk = DuckDBDataChunk.create(types, chunkRows);
    chunk.setColumns(chunkColumns);
    stage.appendDataChunk(chunk);
    chunkColumns = types.map(() => []);
    chunkRows = 0;
  };
  let records = 0;
  let input: NodeJS.ReadableStream = createReadStream(options.path);
  if (options.gzip) input = input.pipe(createGunzip());
  input.setEncoding('utf8');
  let isHeader = true;
  try {
    for await (const record of readCsvRecords(input as AsyncIterable<string>)) {
      if (isHeader) {
        isHeader = false;
        continue;
      }
      records++;
      if (record.fields.length !== columns.length) {
        shapeErrors.appendBigInt(BigInt(record.line));
        shapeErrors.appendNull();
        shapeErrors.appendVarchar(`row has ${record.fields.length} fields, the header has ${columns.length}`);
        shapeErrors.appendVarchar(record.raw);
        shapeErrors.endRow();
        continue;
      }
      chunkColumns[0]!.push(BigInt(record.line));
      chunkColumns[1]!.push(record.raw);
      for (let c = 0; c < record.fields.length; c++) {
        const value = record.fields[c]!;
        chunkColumns[c + 2]!.push(value === '' ? null : value);
      }
      if (++chunkRows === CHUNK_ROWS) flush();
    }
    flush();
  } finally {
    stage.closeSync();
    shapeErrors.closeSync();
  }
  // The relation keeps only contract fields, so line and raw ride along through a row number.
  await warehouse.run(
    `INSERT INTO temp.main.quarantine_stage (line, field, reason, raw)
     SELECT s.line, c.field, c.reason, s.raw
     FROM (SELECT src.__record, ${compiled.failedField} AS field, ${compiled.failureReason} AS reason
           FROM ${compiled.relation('(SELECT *, rowid AS __record FROM temp.main.record_stage)', { passThrough: ['__record'] })}) c
     JOIN temp.main.record_stage s ON s.rowid = c.__record
     WHERE c.field IS NOT NULL`,
  );
  await warehouse.run('DROP TABLE temp.main.record_stage');
  const bad = await warehouse.scalar('SELECT count(*) FROM temp.main.quarantine_stage');
  return { records, bad };
}
