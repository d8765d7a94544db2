// A reward a rule granted: the subscriber got the rule's offer and then did the counted behaviour
// often enough within the window. Its id is the offer's decision id plus ":reward", and the offer's id
// comes from the event that made it, so a replay or a restart produces the same id: stream_rewards
// keeps one row per offer however often the events are read.

export interface RewardOffer {
  offerId: string;
  offerSec: number;
  offerTsMs: number;
  /** Counted events since the offer. */
  count: number;
}

export interface Reward {
  rewardId: string;
  ruleId: string;
  ruleVersion: number;
  msisdn: string;
  offerId: string;
  kind: 'credit' | 'gift';
  /** Yuan (credit); 0 for a gift. */
  amount: number;
  description: string;
  /** What was counted, e.g. "call_out 12580". */
  behaviour: string;
  count: number;
  /** Event time of the offer and of the event that reached the count (ms, local wall time). */
  offeredTsMs: number;
  reachedTsMs: number;
  /** Wall time of the grant, from the Clock. */
  grantedAtMs: number;
}
