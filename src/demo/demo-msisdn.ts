// Phone numbers of the demo operator: an invertible map between a subscriber's index and its
// 11-digit MSISDN, so a number alone (with the seed) is enough to recompute the subscriber.
import { AppError } from '../shared/errors.ts';
import { mix32 } from '../shared/seeded-random.ts';

/** China Mobile number segments of the period. */
const mobilePrefixes = [134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 157, 158, 159, 182, 187, 188] as const;
/** Other networks' segments (China Unicom, China Telecom): the competitor peers. */
export const competitorPrefixes = [130, 131, 132, 155, 156, 186, 133, 153, 180, 189] as const;

const BODY_SPACE = 100_000_000;
// An odd multiplier not divisible by 5 is invertible modulo 10^8; small enough that index × A < 2^53.
const A = 36_281_467;
const B = 52_918_003;
const A_INVERSE = Number(modInverse(BigInt(A), BigInt(BODY_SPACE)));
export const maxSubscribers = BODY_SPACE - 1;

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function prefixOf(index: number): number {
  return mobilePrefixes[mix32(index ^ 0x5bd1e995) % mobilePrefixes.length]!;
}

/** The 3-digit segment of subscriber `index`'s number. */
export function msisdnPrefixOf(index: number): number {
  return prefixOf(index);
}

/** The last 8 digits of subscriber `index`'s number. */
export function msisdnBodyOf(index: number): number {
  return (A * index + B) % BODY_SPACE;
}

const prefixTexts = mobilePrefixes.map(String);

export function msisdnOf(index: number): string {
  // Small integers print fast; an 11-digit double does not, so print prefix and body apart.
  const body = (A * index + B) % BODY_SPACE;
  return prefixTexts[mix32(index ^ 0x5bd1e995) % mobilePrefixes.length]! + String(body + BODY_SPACE).slice(1);
}

/** The subscriber index behind a demo MSISDN; throws when the number is not one of the demo's. */
export function indexOfMsisdn(msisdn: string): number {
  if (!/^1[0-9]{10}$/.test(msisdn))
    throw new AppError('INPUT_INVALID', `msisdn "${msisdn}" must be 11 digits starting with 1`);
  const body = Number(msisdn.slice(3));
  const index = Number((BigInt(A_INVERSE) * BigInt(body - B + BODY_SPACE)) % BigInt(BODY_SPACE));
  if (prefixOf(index) !== Number(msisdn.slice(0, 3)))
    throw new AppError('NOT_FOUND', `msisdn "${msisdn}" is not a demo-operator number`, {
      hint: 'use a number from subscribers.csv written by `telmark generate`',
    });
  return index;
}
