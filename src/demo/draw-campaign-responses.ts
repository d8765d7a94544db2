// The orders the demo's subscribers place after campaign messages, drawn from the planted truth
// (planted-campaign-effect.ts): every non-holder may order the promoted service on each day of the
// response windows at the baseline rate, contacted or not, and a delivered message adds the planted
// extra chance within its window. Each subscriber orders a service at most once (the earliest draw
// wins). Draws are keyed by (seed, number, day, service), so the same deliveries give the same orders
// whatever else is delivered, and a re-run writes the same bytes.
import { mixKey, unitOf } from '../shared/seeded-random.ts';
import {
  baselineDailyChance,
  findPlantedOffer,
  inPlantedSubGroup,
  plantedCampaignEffect,
} from './planted-campaign-effect.ts';

export interface ResponseSubscriber {
  msisdn: string;
  brand: string;
  birthYear: number;
  /** Closed or suspended subscribers order nothing. */
  active: boolean;
}

export interface DeliveredOffer {
  msisdn: string;
  serviceId: string;
  /** The campaign the message came from (`channel_outbox.source_ref`). */
  campaignId: string;
  /** Local wall time of delivery, `YYYY-MM-DD HH:MM:SS`. */
  deliveredAt: string;
}

export interface DrawnOrder {
  orderId: string;
  /** Local time `YYYY-MM-DD HH:MM:SS`. */
  ts: string;
  msisdn: string;
  serviceId: string;
  channel: 'campaign' | 'sms' | 'wap' | 'web' | 'counter';
  /** Set for an order caused by a message. */
  campaignId: string;
}

export interface DrawRequest {
  subscribers: readonly ResponseSubscriber[];
  deliveries: readonly DeliveredOffer[];
  /** Per service: numbers holding it when its first message was delivered (they cannot order it). */
  holders: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface DrawnResponses {
  orders: DrawnOrder[];
  /** Every day (YYYY-MM-DD) inside some response window, with or without orders. */
  days: string[];
}

const DAY_MS = 86_400_000;
const BASELINE_STREAM = 1;
const OFFER_STREAM = 2;
const TIME_STREAM = 3;
const organicChannels = ['sms', 'sms', 'wap', 'web', 'counter'] as const;

export function drawCampaignResponses(request: DrawRequest): DrawnResponses {
  const windowDays = plantedCampaignEffect.responseWindowDays;
  const seed = plantedCampaignEffect.seed;
  const byMsisdn = new Map(request.subscribers.map((s) => [s.msisdn, s]));
  const services = [...new Set(request.deliveries.map((d) => d.serviceId))].sort();
  const allDays = new Set<number>();
  const orders: DrawnOrder[] = [];
  for (const serviceId of services) {
    const serviceKey = keyOfText(serviceId);
    const deliveries = request.deliveries.filter((d) => d.serviceId === serviceId);
    const holders = request.holders.get(serviceId) ?? new Set<string>();
    // The days after each delivery, up to the end of its window.
    const days = new Set<number>();
    for (const d of deliveries) {
      const day = dayOf(d.deliveredAt);
      for (let k = 1; k <= windowDays; k++) days.add(day + k);
    }
    const sortedDays = [...days].sort((a, b) => a - b);
    for (const day of sortedDays) allDays.add(day);
    const earliest = new Map<string, { ms: number; channel: DrawnOrder['channel']; campaignId: string }>();

    // Baseline: every active non-holder, every day of the windows, contacted or not.
    for (const s of request.subscribers) {
      if (!s.active || holders.has(s.msisdn)) continue;
      const [a, b] = numberKey(s.msisdn);
      for (const day of sortedDays) {
        const chance = baselineDailyChance(serviceId, { brand: s.brand, age: yearOf(day) - s.birthYear });
        if (unitOf(mixKey(seed ^ serviceKey, a, b, day * 4 + BASELINE_STREAM)) >= chance) continue;
        const second = Math.floor(unitOf(mixKey(seed ^ serviceKey, a, b, day * 4 + TIME_STREAM)) * 86_400);
        const pick = Math.floor(unitOf(mixKey(seed ^ serviceKey, b, a, day)) * organicChannels.length);
        earliest.set(s.msisdn, { ms: day * DAY_MS + second * 1000, channel: organicChannels[pick]!, campaignId: '' });
        break;
      }
    }

    // The planted extra of each delivered message, at a time in its window after the day of delivery.
    const offer = findPlantedOffer(serviceId);
    for (const d of deliveries) {
      const s = byMsisdn.get(d.msisdn);
      if (!offer || !s?.active || holders.has(s.msisdn)) continue;
      const deliveredMs = msOf(d.deliveredAt);
      const day = dayOf(d.deliveredAt);
      const subject = { brand: s.brand, age: yearOf(day) - s.birthYear };
      const extra = inPlantedSubGroup(offer, subject) ? offer.extraInSubGroup : offer.extraElsewhere;
      const [a, b] = numberKey(s.msisdn);
      if (unitOf(mixKey(seed ^ serviceKey, a, b, day * 4 + OFFER_STREAM)) >= extra) continue;
      const from = (day + 1) * DAY_MS;
      const to = deliveredMs + windowDays * DAY_MS;
      const at =
        from +
        Math.floor(unitOf(mixKey(seed ^ serviceKey, b, a, day * 4 + OFFER_STREAM)) * ((to - from) / 1000)) * 1000;
      const before = earliest.get(s.msisdn);
      if (!before || at < before.ms) earliest.set(s.msisdn, { ms: at, channel: 'campaign', campaignId: d.campaignId });
    }

    for (const [msisdn, event] of earliest) {
      const ts = textOf(event.ms);
      orders.push({
        orderId: `SIM-${ts.slice(0, 10).replaceAll('-', '')}-${serviceId}-${msisdn}`,
        ts,
        msisdn,
        serviceId,
        channel: event.channel,
        campaignId: event.campaignId,
      });
    }
  }
  orders.sort((x, y) => (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : x.orderId < y.orderId ? -1 : 1));
  return { orders, days: [...allDays].sort((a, b) => a - b).map((d) => textOf(d * DAY_MS).slice(0, 10)) };
}

/** Times are local wall-clock text; they are read and written as if UTC, so no zone ever shifts them. */
function msOf(text: string): number {
  return Date.parse(`${text.slice(0, 10)}T${text.slice(11, 19) || '00:00:00'}Z`);
}

function dayOf(text: string): number {
  return Math.floor(msOf(text) / DAY_MS);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function textOf(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** An 11-digit number as two 32-bit keys (prefix, body). */
function numberKey(msisdn: string): [number, number] {
  return [Number(msisdn.slice(0, 3)), Number(msisdn.slice(3))];
}

function keyOfText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
