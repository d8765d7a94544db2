// One day of A-interface signalling in time order. The day is generated an hour at a time: each
// hour every subscriber is placed in the cell their mobility gives, emits its events (calls, SMS,
// periodic location updates, a location update when the cell changes, the day's IVR calls as
// call_out to 114/12580/12590/10086), and the hour's events are radix-sorted by millisecond
// before they are written. Memory is one hour of events, however many subscribers.
import { asciiBytes, putBytes, putInt } from './ascii-bytes.ts';
import {
  COMMA,
  eventNameBytes,
  HourEvents,
  MAX_ROW_BYTES,
  millisBytes,
  minuteSecondBytes,
  PEER_ACCESS_CODE,
  PEER_COMPETITOR,
  PEER_LANDLINE,
  PEER_NONE,
  PEER_SUBSCRIBER,
  putMsisdn,
  putPeer,
} from './signalling-encoding.ts';
import { dateText, isWeekend } from './calendar-text.ts';
import { competitorPrefixes } from './demo-msisdn.ts';
import type { FeedWriter } from './feed-writer.ts';
import { type GenerationContext, hourShares } from './generation-context.ts';
import { forEachIvrCall, type IvrCallVisitor } from './ivr-calls.ts';
import { plantedPatterns } from './planted-patterns.ts';
import { cumulativeOf, mixKey, SeededRandom } from '../shared/seeded-random.ts';
import { cellAt } from './subscriber-mobility.ts';
import { flagCompetitor, NO_DAY } from './subscriber-population.ts';
import { usageLevel } from './usage-level.ts';

const CALL_OUT = 0;
const CALL_IN = 1;
const SMS_OUT = 2;
const SMS_IN = 3;
const LOCATION_UPDATE = 4;
const ATTACH = 5;
const DETACH = 6;
const SIGNALLING_STREAM = 9;
const MS_PER_HOUR = 3_600_000;
/** Mix of the spontaneous events (calls, SMS, periodic location updates). */
const eventCumulative = cumulativeOf([0.2, 0.22, 0.17, 0.21, 0.2]);

const random = new SeededRandom(0);

/** Kind of the last peer drawn by `drawPeer` (a second return value without an allocation). */
let drawnPeerKind = PEER_NONE;

function drawPeer(count: number, competitorShare: number, landlineShare: number): number {
  const u = random.next();
  if (u < landlineShare) {
    drawnPeerKind = PEER_LANDLINE;
    return 2_000_000 + random.int(8_000_000);
  }
  if (u < landlineShare + competitorShare) {
    drawnPeerKind = PEER_COMPETITOR;
    return random.int(competitorPrefixes.length) * 100_000_000 + random.int(100_000_000);
  }
  drawnPeerKind = PEER_SUBSCRIBER;
  return random.int(count);
}

export async function writeSignallingDay(
  context: GenerationContext,
  day: number,
  writer: FeedWriter,
  onHour: (hour: number) => void = () => {},
): Promise<void> {
  // The hot loops live in the builder's plain methods: V8 optimises those far better than loops
  // inside an async function that awaits.
  const builder = new SignallingDayBuilder(context, day);
  for (let hour = 0; hour < 24; hour++) {
    const total = builder.collectHour(hour);
    for (let from = 0; from < total; from += ROWS_PER_SLICE) {
      builder.encodeRows(writer, hour, from, Math.min(total, from + ROWS_PER_SLICE));
      await writer.flushIfFull();
    }
    onHour(hour);
  }
}

const ROWS_PER_SLICE = 16_384;
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

class SignallingDayBuilder {
  private readonly events = new HourEvents();
  private readonly lastCell: Uint16Array;
  private readonly counts = new Int32Array(RADIX + 1);
  private order = new Int32Array(1 << 16);
  private scratch = new Int32Array(1 << 16);
  private readonly weekend: boolean;
  private readonly meanActivity: number;
  private readonly cellIdBytes: Uint8Array[];
  private readonly datePrefix: Uint8Array;
  private readonly msisdns: Uint8Array;
  private readonly ivrCall: { i: number; day: number; weekend: boolean; activity: number; onlyHour: number };
  /** The IVR visitor, made once: a closure per subscriber-hour would cost millions of allocations. */
  private readonly pushIvrCall: IvrCallVisitor = (second, code, _menu, duration, cell) => {
    const { i, onlyHour } = this.ivrCall;
    const ms = (second - onlyHour * 3600) * 1000 + ((second * 7919 + i) % 1000);
    this.events.push(ms, i, CALL_OUT, cell, PEER_ACCESS_CODE, code, duration);
  };

  constructor(
    private readonly context: GenerationContext,
    private readonly day: number,
  ) {
    const { population, map } = context;
    const dayNumber = context.startDay + day;
    this.weekend = isWeekend(dayNumber);
    this.lastCell = new Uint16Array(population.count);
    let sum = 0;
    for (let i = 0; i < population.count; i++) sum += population.activity[i]!;
    this.meanActivity = population.count > 0 ? sum / population.count : 1;
    this.cellIdBytes = map.cells.map((c) => asciiBytes(c.cellId));
    this.datePrefix = asciiBytes(`${dateText(dayNumber)} `);
    this.msisdns = context.msisdnBytes;
    this.ivrCall = { i: 0, day, weekend: this.weekend, activity: 1, onlyHour: 0 };
  }

  /** Generates the hour's events and sorts them by time; returns how many there are. */
  collectHour(hour: number): number {
    const { context, day, events, weekend } = this;
    const { population, seed } = context;
    const count = population.count;
    const peers = plantedPatterns.churn.competitorPeers;
    events.length = 0;
    const spontaneousMean = (context.options.signallingPerSubscriber * hourShares[hour]!) / this.meanActivity;
    for (let i = 0; i < count; i++) {
      if (population.firstDay[i]! > day || population.suspendedDay[i]! !== NO_DAY || population.closeDay[i]! <= day)
        continue;
      random.reseed(mixKey(seed, i, day * 24 + hour, SIGNALLING_STREAM));
      const activity = usageLevel(population, i, day);
      const cell = cellAt(context, i, day, hour, weekend);
      if (hour > 0 && this.lastCell[i] !== cell)
        events.push(random.int(900_000), i, LOCATION_UPDATE, cell, PEER_NONE, 0, 0);
      this.lastCell[i] = cell;
      if (hour === 6 && random.chance(0.3)) events.push(random.int(MS_PER_HOUR), i, ATTACH, cell, PEER_NONE, 0, 0);
      if (hour === 23 && random.chance(0.1)) events.push(random.int(MS_PER_HOUR), i, DETACH, cell, PEER_NONE, 0, 0);
      const competitorShare = population.flags[i]! & flagCompetitor ? peers.peerShare : peers.normalPeerShare;
      const n = random.poisson(spontaneousMean * activity);
      for (let k = 0; k < n; k++) {
        const kind = random.pickCumulative(eventCumulative);
        const ms = random.int(MS_PER_HOUR);
        if (kind === CALL_OUT || kind === CALL_IN) {
          const peer = drawPeer(count, competitorShare, 0.08);
          const duration = Math.min(3600, 5 + Math.floor(-Math.log(1 - random.next()) * 90));
          events.push(ms, i, kind, cell, drawnPeerKind, peer, duration);
        } else if (kind === SMS_OUT || kind === SMS_IN) {
          const peer = drawPeer(count, competitorShare, 0);
          events.push(ms, i, kind, cell, drawnPeerKind, peer, 0);
        } else events.push(ms, i, kind, cell, PEER_NONE, 0, 0);
      }
      // The day's IVR calls, replayed from their own stream, as call_out events to the access code.
      this.ivrCall.i = i;
      this.ivrCall.activity = activity;
      this.ivrCall.onlyHour = hour;
      forEachIvrCall(context, this.ivrCall, this.pushIvrCall);
    }
    this.sortByTime();
    return events.length;
  }

  /** Stable LSD radix sort of event indices by millisecond, two passes of 11 bits. */
  private sortByTime(): void {
    const { events, counts } = this;
    const total = events.length;
    if (this.order.length < total) {
      this.order = new Int32Array(total * 2);
      this.scratch = new Int32Array(total * 2);
    }
    let source = this.scratch;
    let target = this.order;
    for (let k = 0; k < total; k++) source[k] = k;
    for (let shift = 0; shift < 2 * RADIX_BITS; shift += RADIX_BITS) {
      counts.fill(0);
      for (let k = 0; k < total; k++) counts[((events.ms[source[k]!]! >>> shift) & (RADIX - 1)) + 1]!++;
      for (let b = 1; b <= RADIX; b++) counts[b]! += counts[b - 1]!;
      for (let k = 0; k < total; k++) {
        const e = source[k]!;
        target[counts[(events.ms[e]! >>> shift) & (RADIX - 1)]!++] = e;
      }
      [source, target] = [target, source];
    }
    this.order = source;
    this.scratch = target;
  }

  /** Writes rows `from`..`to` (in time order) of the sorted hour as CSV bytes. */
  encodeRows(writer: FeedWriter, hour: number, from: number, to: number): void {
    const { events, order } = this;
    const hourTens = 48 + Math.floor(hour / 10);
    const hourUnits = 48 + (hour % 10);
    for (let r = from; r < to; r++) {
      const k = order[r]!;
      const ms = events.ms[k]!;
      const subscriber = events.subscriber[k]!;
      writer.reserve(MAX_ROW_BYTES);
      const b = writer.target;
      let p = putBytes(b, writer.at, this.datePrefix);
      b[p++] = hourTens;
      b[p++] = hourUnits;
      b[p++] = 58;
      const second = Math.floor(ms / 1000);
      const mmss = second * 5;
      for (let j = 0; j < 5; j++) b[p + j] = minuteSecondBytes[mmss + j]!;
      p += 5;
      b[p++] = 46;
      const millis = (ms - second * 1000) * 3;
      b[p] = millisBytes[millis]!;
      b[p + 1] = millisBytes[millis + 1]!;
      b[p + 2] = millisBytes[millis + 2]!;
      p += 3;
      b[p++] = COMMA;
      p = putMsisdn(b, p, this.msisdns, subscriber);
      b[p++] = COMMA;
      p = putBytes(b, p, eventNameBytes[events.kind[k]!]!);
      b[p++] = COMMA;
      p = putBytes(b, p, this.cellIdBytes[events.cell[k]!]!);
      b[p++] = COMMA;
      p = putPeer(b, p, events.peerKind[k]!, events.peer[k]!, this.msisdns);
      b[p++] = COMMA;
      p = putInt(b, p, events.duration[k]!);
      b[p++] = 10;
      writer.commit(p);
    }
  }
}
