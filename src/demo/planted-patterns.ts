// Every pattern the demo generator plants, with its parameters, in one typed object. Analyses,
// models and tests look for these; docs/demo-operator.md explains each and how to see it.
import type { orderChannels } from '../feeds/contract.ts';
import type { AreaType } from './heyuan-geography.ts';
import type { Brand, ServiceKey } from './demo-catalogue.ts';

export type OrderChannel = (typeof orderChannels)[number];

export interface CrossSellPair {
  from: ServiceKey;
  to: ServiceKey;
  /** Holding `from` multiplies the chance of holding (and of ordering) `to` by this factor. */
  lift: number;
}

export interface PlantedPatterns {
  /** Planted propensity to order a service: base × brand × area × age × cross-sell lift, capped. */
  propensity: {
    base: Record<ServiceKey, number>;
    brandFactor: Record<Brand, Partial<Record<ServiceKey, number>>>;
    /** Applied when the subscriber's home or work cell is of this area type. */
    areaFactor: Partial<Record<AreaType, Partial<Record<ServiceKey, number>>>>;
    /** Applied to travellers (subscribers whose usual other place is a station). */
    travellerFactor: Partial<Record<ServiceKey, number>>;
    youngFactor: Partial<Record<ServiceKey, number>>;
    elderFactor: Partial<Record<ServiceKey, number>>;
    cap: number;
  };
  /** Chance of holding a service at the opening = propensity (without holdings) × this. */
  openingHoldingScale: number;
  crossSell: readonly CrossSellPair[];
  orders: {
    /** Daily chance of ordering a service one does not hold = propensity × this. */
    organicDailyFactor: number;
    /** Daily chance of cancelling a held service, for a user of it and for a holder who never uses it. */
    dailyCancelHazard: { user: number; nonUser: number };
    /** Share of holders who use a held service (usage events in sms/wap). */
    usesHeldService: number;
    /** Share of orders of trial services that come with free months. */
    trialOrderShare: number;
    unconfirmedShare: number;
    channelWeights: Record<OrderChannel, number>;
    cancelChannelWeights: Record<OrderChannel, number>;
    campaigns: readonly { campaignId: string; service: ServiceKey }[];
    /** New subscribers get this service bundled (channel `bundle`) on their activation day. */
    activationBundle: { service: ServiceKey; probability: number };
  };
  churn: {
    /** Chance that an account closes within `closeWindowDays` of the start, before the drivers. */
    baseProbability: number;
    closeWindowDays: number;
    complaints: { prevalence: number; lift: number; callsPerDay: number; accessCode: string };
    competitorPeers: { prevalence: number; lift: number; peerShare: number; normalPeerShare: number };
    /** Churners' activity falls linearly to `floor` over the `rampDays` before the close. */
    fallingUsage: { rampDays: number; floor: number };
  };
  trial: {
    /** Share of subscribers holding, at the opening, a trial of the service that ends inside the window. */
    openingCohortShare: Partial<Record<ServiceKey, number>>;
    usedDuringTrial: number;
    cancelAtEnd: { used: number; unused: number };
    /** Usage events a day of a trial user (sp_mo commands, forwards, wap visits). */
    usageEventsPerDay: number;
  };
  areas: {
    /** IVR calls made while in a cell of this type are multiplied by this factor. */
    ivrLift: Record<AreaType, number>;
    /** Share of 114 among 114/12580/12590 calls made from a station cell (elsewhere 0.5). */
    stationShareOf114: number;
    campusMzoneShare: number;
  };
  weekly: {
    /** Multipliers on Saturday and Sunday. */
    weekend: { p2pSms: number; wap: number; ivr12580: number; counterOrders: number; workPresence: number };
  };
  anomalies: {
    unconfirmedBurst: { dayOffset: number; channel: OrderChannel; service: ServiceKey; shareOfSubscribers: number };
    countyCancellationJump: { dayOffset: number; county: string; cancelProbability: number };
  };
}

export const plantedPatterns: PlantedPatterns = {
  propensity: {
    base: { crbt: 0.08, news: 0.05, directory: 0.03, im: 0.07, music: 0.04, game: 0.03, video: 0.025, portal: 0.05 },
    brandFactor: {
      gotone: { news: 1.8, directory: 1.8, crbt: 1.2, game: 0.6 },
      easyown: { im: 0.8, video: 0.6 },
      mzone: { music: 2, game: 2, im: 1.6, video: 1.5, news: 0.6 },
      other: { portal: 2 },
    },
    areaFactor: {
      campus: { music: 2.5, game: 3, video: 1.5 },
      office: { news: 1.5, directory: 1.3 },
      rural: { crbt: 0.8, video: 0.5, game: 0.7 },
    },
    travellerFactor: { directory: 2.5, news: 1.3 },
    youngFactor: { music: 1.4, game: 1.5, video: 1.3, news: 0.7 },
    elderFactor: { music: 0.5, game: 0.3, video: 0.5, im: 0.5 },
    cap: 0.9,
  },
  openingHoldingScale: 2.5,
  crossSell: [
    { from: 'crbt', to: 'music', lift: 8 },
    { from: 'news', to: 'directory', lift: 3 },
    { from: 'game', to: 'video', lift: 4 },
  ],
  orders: {
    organicDailyFactor: 0.01,
    dailyCancelHazard: { user: 0.0008, nonUser: 0.003 },
    usesHeldService: 0.6,
    trialOrderShare: 0.6,
    unconfirmedShare: 0.02,
    channelWeights: { sms: 30, ivr: 8, wap: 18, web: 10, counter: 14, hotline: 6, campaign: 10, bundle: 0, auto: 0 },
    cancelChannelWeights: {
      sms: 40,
      ivr: 4,
      wap: 6,
      web: 10,
      counter: 14,
      hotline: 22,
      campaign: 0,
      bundle: 0,
      auto: 4,
    },
    campaigns: [
      { campaignId: 'CMP-12580-STATION', service: 'directory' },
      { campaignId: 'CMP-MUSIC-CAMPUS', service: 'music' },
      { campaignId: 'CMP-NEWS-SPRING', service: 'news' },
    ],
    activationBundle: { service: 'crbt', probability: 0.5 },
  },
  churn: {
    baseProbability: 0.018,
    closeWindowDays: 30,
    complaints: { prevalence: 0.06, lift: 4, callsPerDay: 0.3, accessCode: '10086' },
    competitorPeers: { prevalence: 0.1, lift: 3, peerShare: 0.55, normalPeerShare: 0.08 },
    fallingUsage: { rampDays: 14, floor: 0.15 },
  },
  trial: {
    openingCohortShare: { news: 0.04, music: 0.03 },
    usedDuringTrial: 0.35,
    cancelAtEnd: { used: 0.15, unused: 0.85 },
    usageEventsPerDay: 0.8,
  },
  areas: {
    ivrLift: {
      station: 4,
      campus: 1.2,
      office: 1.2,
      commercial: 1.5,
      residential: 0.8,
      scenic: 1.5,
      rural: 0.6,
      other: 1,
    },
    stationShareOf114: 0.6,
    campusMzoneShare: 0.75,
  },
  weekly: {
    weekend: { p2pSms: 1.2, wap: 1.35, ivr12580: 1.5, counterOrders: 0.5, workPresence: 0.1 },
  },
  anomalies: {
    unconfirmedBurst: { dayOffset: 17, channel: 'wap', service: 'game', shareOfSubscribers: 0.004 },
    countyCancellationJump: { dayOffset: 22, county: '龙川', cancelProbability: 0.08 },
  },
};
