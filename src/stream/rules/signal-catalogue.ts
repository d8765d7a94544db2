// The behaviour signals rules look back on, e.g. "call_out to 114", each with a small id stored in the
// subscribers' hit buffers. An event matches at most two signals: its kind with its peer, and its kind
// with any peer.
import { eventKindCodes, type SignallingEventKind } from '../events/signalling-event.ts';

export const MAX_SIGNALS = 255;
const ANY_PEER = '*';

export class SignalCatalogue {
  private readonly byKind: Map<string, number>[] = Object.keys(eventKindCodes).map(() => new Map());
  private readonly keys: string[] = [];
  private readonly scratch: number[] = [];

  /** The id of a signal, registering it when new. `peer` undefined means any peer. */
  idOf(kind: SignallingEventKind, peer?: string): number {
    const map = this.byKind[eventKindCodes[kind]]!;
    const key = peer ?? ANY_PEER;
    let id = map.get(key);
    if (id === undefined) {
      if (this.keys.length >= MAX_SIGNALS) throw new RangeError(`at most ${MAX_SIGNALS} behaviour signals`);
      id = this.keys.length;
      this.keys.push(`${kind}:${key}`);
      map.set(key, id);
    }
    return id;
  }

  /** Signals an event matches; the returned array is reused by the next call. */
  match(kind: SignallingEventKind, peer: string): readonly number[] {
    const out = this.scratch;
    out.length = 0;
    const map = this.byKind[eventKindCodes[kind]]!;
    if (map.size === 0) return out;
    if (peer !== '') {
      const exact = map.get(peer);
      if (exact !== undefined) out.push(exact);
    }
    const any = map.get(ANY_PEER);
    if (any !== undefined) out.push(any);
    return out;
  }

  /** `call_out:114`, by id: the form kept in snapshots. */
  list(): readonly string[] {
    return this.keys;
  }

  /** The id of a `kind:peer` key from a snapshot. */
  idOfKey(key: string): number {
    const at = key.indexOf(':');
    const peer = key.slice(at + 1);
    return this.idOf(key.slice(0, at) as SignallingEventKind, peer === ANY_PEER ? undefined : peer);
  }
}
