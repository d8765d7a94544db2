// The stream's partition of a subscriber (partition-of.ts: FNV-1a with a final mix) as ClickHouse SQL,
// so that a worker reads from the cluster only its own subscribers' rows instead of every row and
// throwing most away. 18.16 has no loops over a string's bytes, so the hash is unrolled over the 11
// bytes of a phone number; a value of another length is left for the caller to filter in TypeScript.
import type { WorkerSlot } from './partition-of.ts';

const MSISDN_LENGTH = 11;
const mask32 = '4294967295';

/** ClickHouse's FNV-1a of an 11-byte string column, as a UInt64 below 2^32. */
function hashSql(column: string): string {
  let h = String(0x811c9dc5);
  for (let i = 1; i <= MSISDN_LENGTH; i++)
    h = `bitAnd(bitXor(${h}, reinterpretAsUInt8(substring(${column}, ${i}, 1))) * 16777619, ${mask32})`;
  h = `bitXor(${h} AS h1, bitShiftRight(h1, 15))`;
  h = `bitAnd(${h} * ${0x2c1b3c6d}, ${mask32})`;
  return `bitXor(${h} AS h2, bitShiftRight(h2, 12))`;
}

/**
 * A condition true for the rows of `column` whose subscriber belongs to the worker's partitions, and
 * for every value that is not 11 bytes long (the caller checks those with `partitionOf`).
 */
export function clickhouseWorkerFilter(column: string, partitions: number, worker: WorkerSlot): string {
  if (worker.count === 1) return '1';
  const partition = `intDiv(${hashSql(column)} * ${partitions}, 4294967296)`;
  return `(length(${column}) != ${MSISDN_LENGTH} OR ${partition} % ${worker.count} = ${worker.index})`;
}
