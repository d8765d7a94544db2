// What the policy needs to remember about past contacts: per subscriber the times of marketing
// messages (planned at queue time, sent at send time), per channel and day the volume, and the lists.
// Loaded for the subscribers at hand, then kept up to date in memory while a batch is judged.
import { dayStartMs, monthStartMs, weekStartMs } from './local-time.ts';

export class ContactLedger {
  private readonly times = new Map<string, number[]>();
  private readonly volume = new Map<string, number>();
  readonly optedOut = new Set<string>();
  readonly doNotDisturb = new Set<string>();
  /** `subscriber|text hash` of messages within the duplicate window, and message ids already queued. */
  readonly seen = new Set<string>();

  record(subscriber: string, channel: string, atMs: number): void {
    let list = this.times.get(subscriber);
    if (!list) {
      list = [];
      this.times.set(subscriber, list);
    }
    list.push(atMs);
    this.addVolume(channel, atMs, 1);
  }

  /** Drops the volume recorded so far (the per-subscriber loading also counted it, for a subset only). */
  resetVolume(): void {
    this.volume.clear();
  }

  addVolume(channel: string, atMs: number, count: number): void {
    const key = `${channel}|${dayStartMs(atMs)}`;
    this.volume.set(key, (this.volume.get(key) ?? 0) + count);
  }

  /** Contacts in the day, week (from Monday) and month of `atMs`. */
  contacts(subscriber: string, atMs: number): { day: number; week: number; month: number } {
    const list = this.times.get(subscriber);
    const counts = { day: 0, week: 0, month: 0 };
    if (!list) return counts;
    const day = dayStartMs(atMs);
    const week = weekStartMs(atMs);
    const month = monthStartMs(atMs);
    const end = day + 86_400_000;
    for (const t of list) {
      if (t >= end) continue;
      if (t >= day) counts.day++;
      if (t >= week) counts.week++;
      if (t >= month) counts.month++;
    }
    return counts;
  }

  channelVolume(channel: string, atMs: number): number {
    return this.volume.get(`${channel}|${dayStartMs(atMs)}`) ?? 0;
  }
}
