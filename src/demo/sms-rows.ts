// SMS rows, the largest business feed, encoded straight into the writer's buffer (no row strings):
// MSISDNs come from the run's byte table, the clock from a per-second table.
import { asciiBytes, putBytes, putFixedDigits, putInt } from './ascii-bytes.ts';
import { demoServices } from './demo-catalogue.ts';
import { competitorPrefixes } from './demo-msisdn.ts';
import type { FeedWriter } from './feed-writer.ts';
import { COMMA, MAX_ROW_BYTES, putMsisdn } from './signalling-encoding.ts';
import type { SeededRandom } from '../shared/seeded-random.ts';

export const SMS_P2P_MO = 0;
export const SMS_P2P_MT = 1;
export const SMS_SP_MT = 2;
export const SMS_SP_MO = 3;
const kindBytes = ['p2p_mo', 'p2p_mt', 'sp_mt', 'sp_mo'].map(asciiBytes);
const serviceIdBytes = demoServices.map((s) => asciiBytes(s.serviceId));
const spNumberBytes = demoServices.map((s) => asciiBytes(s.spNumber));

/** 'HH:MM:SS' for every second of a day, 8 bytes each. */
const clockBytes = (() => {
  const table = new Uint8Array(86_400 * 8);
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let s = 0; s < 86_400; s++)
    table.set(asciiBytes(`${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`), s * 8);
  return table;
})();

export class SmsRows {
  private readonly datePrefix: Uint8Array;

  constructor(
    private readonly writer: FeedWriter,
    private readonly msisdns: Uint8Array,
    dateText: string,
  ) {
    this.datePrefix = asciiBytes(`${dateText} `);
  }

  /**
   * A person-to-person row (`p2p_mo`/`p2p_mt`, or a forward of a service's message) to a peer drawn
   * here: a competitor's subscriber with chance `competitorShare`, else one of the `count` subscribers.
   */
  person(
    second: number,
    subscriber: number,
    kind: number,
    peers: { random: SeededRandom; count: number; competitorShare: number },
    forward?: { service: number },
  ): void {
    const b = this.start(second, subscriber);
    let p = this.writer.at;
    const { random } = peers;
    if (random.next() < peers.competitorShare) {
      const prefix = competitorPrefixes[random.int(competitorPrefixes.length)]!;
      p = putFixedDigits(b, putInt(b, p, prefix), random.int(100_000_000), 8);
    } else p = putMsisdn(b, p, this.msisdns, random.int(peers.count));
    b[p++] = COMMA;
    p = putBytes(b, p, kindBytes[kind]!);
    b[p++] = COMMA;
    if (forward) p = putBytes(b, p, serviceIdBytes[forward.service]!);
    b[p++] = COMMA;
    b[p++] = forward ? 49 : 48;
    b[p++] = 10;
    this.writer.commit(p);
  }

  /** A row between the subscriber and a service's SP number (`sp_mt` push or `sp_mo` command). */
  service(second: number, subscriber: number, kind: number, service: number): void {
    const b = this.start(second, subscriber);
    let p = putBytes(b, this.writer.at, spNumberBytes[service]!);
    b[p++] = COMMA;
    p = putBytes(b, p, kindBytes[kind]!);
    b[p++] = COMMA;
    p = putBytes(b, p, serviceIdBytes[service]!);
    b[p++] = COMMA;
    b[p++] = 48;
    b[p++] = 10;
    this.writer.commit(p);
  }

  /** Writes `ts,msisdn,` and leaves the writer's position after it (committed with the row). */
  private start(second: number, subscriber: number): Buffer {
    this.writer.reserve(MAX_ROW_BYTES);
    const b = this.writer.target;
    let p = putBytes(b, this.writer.at, this.datePrefix);
    const clock = second * 8;
    for (let k = 0; k < 8; k++) b[p + k] = clockBytes[clock + k]!;
    p += 8;
    b[p++] = COMMA;
    p = putMsisdn(b, p, this.msisdns, subscriber);
    b[p++] = COMMA;
    this.writer.seek(p);
    return b;
  }
}
