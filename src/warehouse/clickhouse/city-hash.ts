// The shard that owns a subscriber, computed in Telmark exactly as ClickHouse's Distributed tables do
// (`cityHash64(msisdn) % shards`, CityHash v1.0.2 as ClickHouse ships it), so the loader writes each
// shard's local tables directly. Phone numbers are 11 bytes, so only CityHash's 9–16-byte branch is
// needed; other lengths are refused rather than hashed wrongly.
import { AppError } from '../../shared/errors.ts';

const mask = (1n << 64n) - 1n;
const kMul = 0x9ddfea08eb382d69n;

function fetch64(bytes: Uint8Array, at: number): bigint {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i]!);
  return value;
}

function rotate(value: bigint, shift: bigint): bigint {
  return ((value >> shift) | (value << (64n - shift))) & mask;
}

function hash128to64(u: bigint, v: bigint): bigint {
  let a = ((u ^ v) * kMul) & mask;
  a ^= a >> 47n;
  let b = ((v ^ a) * kMul) & mask;
  b ^= b >> 47n;
  return (b * kMul) & mask;
}

/** ClickHouse's cityHash64 of a 9–16-byte string. */
export function cityHash64(text: string): bigint {
  const bytes = new TextEncoder().encode(text);
  const length = bytes.length;
  if (length < 9 || length > 16)
    throw new AppError('INTERNAL', `cityHash64 here takes 9 to 16 bytes, not ${length} ("${text}")`, {
      hint: 'phone numbers have 11 digits; the feed contract checks them before loading',
    });
  const a = fetch64(bytes, 0);
  const b = fetch64(bytes, length - 8);
  const len = BigInt(length);
  return hash128to64(a, rotate((b + len) & mask, len)) ^ b;
}

/** Index (0-based) of the shard that holds this subscriber's rows. */
export function shardOf(msisdn: string, shards: number): number {
  return Number(cityHash64(msisdn) % BigInt(shards));
}
