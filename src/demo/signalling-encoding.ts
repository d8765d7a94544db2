// Signalling rows as bytes: one hour of events in parallel typed arrays, and the encoders that
// write a row without building strings (MSISDNs and clock fields are copied from byte tables).
import { signallingEvents } from '../feeds/contract.ts';
import { asciiBytes, putBytes, putFixedDigits, putInt } from './ascii-bytes.ts';
import { competitorPrefixes, msisdnBodyOf, msisdnPrefixOf } from './demo-msisdn.ts';
import { ivrAccessCodes } from './ivr-calls.ts';

export const PEER_NONE = 0;
export const PEER_SUBSCRIBER = 1;
export const PEER_COMPETITOR = 2;
export const PEER_LANDLINE = 3;
export const PEER_ACCESS_CODE = 4;

/** One hour of events as parallel typed arrays, grown by doubling. */
export class HourEvents {
  length = 0;
  ms = new Int32Array(1 << 16);
  subscriber = new Int32Array(1 << 16);
  kind = new Uint8Array(1 << 16);
  cell = new Uint16Array(1 << 16);
  /** How to print `peer`: PEER_NONE, PEER_SUBSCRIBER (an index), PEER_COMPETITOR, PEER_LANDLINE, PEER_ACCESS_CODE. */
  peerKind = new Uint8Array(1 << 16);
  peer = new Int32Array(1 << 16);
  duration = new Int32Array(1 << 16);

  push(
    ms: number,
    subscriber: number,
    kind: number,
    cell: number,
    peerKind: number,
    peer: number,
    duration: number,
  ): void {
    if (this.length === this.ms.length) this.grow();
    const k = this.length++;
    this.ms[k] = ms;
    this.subscriber[k] = subscriber;
    this.kind[k] = kind;
    this.cell[k] = cell;
    this.peerKind[k] = peerKind;
    this.peer[k] = peer;
    this.duration[k] = duration;
  }

  private grow(): void {
    const size = this.ms.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Uint16Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old as never);
      return next;
    };
    this.ms = grow(this.ms, (n) => new Int32Array(n));
    this.subscriber = grow(this.subscriber, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.cell = grow(this.cell, (n) => new Uint16Array(n));
    this.peerKind = grow(this.peerKind, (n) => new Uint8Array(n));
    this.peer = grow(this.peer, (n) => new Int32Array(n));
    this.duration = grow(this.duration, (n) => new Int32Array(n));
  }
}

export const COMMA = 44;
export const eventNameBytes = signallingEvents.map(asciiBytes);
const accessCodeBytes = ivrAccessCodes.map(asciiBytes);
const LANDLINE_AREA = asciiBytes('0762');
/** Longest row: 23 (ts) + 11 + 16 + 32 + 11 + 5 + separators, rounded up. */
export const MAX_ROW_BYTES = 128;

/** Every subscriber's MSISDN as 11 ASCII digits, so rows copy bytes instead of computing digits. */
export function msisdnTableOf(count: number): Uint8Array {
  const table = new Uint8Array(count * 11);
  const scratch = Buffer.alloc(11);
  for (let i = 0; i < count; i++) {
    putFixedDigits(scratch, putInt(scratch, 0, msisdnPrefixOf(i)), msisdnBodyOf(i), 8);
    table.set(scratch, i * 11);
  }
  return table;
}

/** 'MM:SS.mmm' for every millisecond of an hour would be 36 MB; 'MM:SS' per second and 'mmm' per millisecond are enough. */
export const minuteSecondBytes = (() => {
  const table = new Uint8Array(3600 * 5);
  for (let s = 0; s < 3600; s++)
    table.set(asciiBytes(`${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`), s * 5);
  return table;
})();
export const millisBytes = (() => {
  const table = new Uint8Array(1000 * 3);
  for (let ms = 0; ms < 1000; ms++) table.set(asciiBytes(String(ms).padStart(3, '0')), ms * 3);
  return table;
})();

export function putMsisdn(target: Buffer, at: number, table: Uint8Array, subscriber: number): number {
  const from = subscriber * 11;
  for (let k = 0; k < 11; k++) target[at + k] = table[from + k]!;
  return at + 11;
}

/** Writes a peer field as its digits. */
export function putPeer(target: Buffer, at: number, kind: number, peer: number, msisdns: Uint8Array): number {
  switch (kind) {
    case PEER_SUBSCRIBER:
      return putMsisdn(target, at, msisdns, peer);
    case PEER_COMPETITOR: {
      const prefix = competitorPrefixes[Math.floor(peer / 100_000_000)]!;
      return putFixedDigits(target, putInt(target, at, prefix), peer % 100_000_000, 8);
    }
    case PEER_LANDLINE:
      return putInt(target, putBytes(target, at, LANDLINE_AREA), peer);
    case PEER_ACCESS_CODE:
      return putBytes(target, at, accessCodeBytes[peer]!);
    default:
      return at;
  }
}
