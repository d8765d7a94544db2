// Who of an audience a round draws, and into which group: stable by a hash of the campaign, the round
// and the msisdn (src/shared/hash-fraction.ts), so a re-run or another machine draws the same people,
// and random with respect to anything about the subscriber. Members of the channels' global control
// group are left out before drawing: they are never contacted at all, and keeping them in the round's
// control group only would make the two groups differ by more than the message.
import { inGlobalControlGroup } from '../../channels/index.ts';
import { hashFraction } from '../../shared/hash-fraction.ts';

export interface GroupDraw {
  contacted: string[];
  control: string[];
  /** Audience members left out as members of the global control group. */
  globalControl: number;
}

export interface DrawOptions {
  campaignId: string;
  round: number;
  /** Draw this many (contacted + control) … */
  sample?: number;
  /** … or this share of the audience; neither: the whole audience. */
  share?: number;
  controlShare: number;
  globalControlShare: number;
}

export function assignGroups(audience: readonly string[], options: DrawOptions): GroupDraw {
  const eligible = audience.filter((m) => !inGlobalControlGroup(m, options.globalControlShare));
  const globalControl = audience.length - eligible.length;
  let drawn = eligible;
  const want =
    options.sample !== undefined
      ? Math.min(options.sample, eligible.length)
      : options.share !== undefined
        ? Math.round(options.share * eligible.length)
        : eligible.length;
  if (want < eligible.length) {
    const keyed = eligible.map((m) => ({
      m,
      f: hashFraction(`campaign-sample|${options.campaignId}|${options.round}|${m}`),
    }));
    keyed.sort((a, b) => a.f - b.f || (a.m < b.m ? -1 : 1));
    drawn = keyed.slice(0, want).map((k) => k.m);
  }
  const contacted: string[] = [];
  const control: string[] = [];
  for (const m of drawn) {
    const f = hashFraction(`campaign-group|${options.campaignId}|${options.round}|${m}`);
    (f < options.controlShare ? control : contacted).push(m);
  }
  return { contacted, control, globalControl };
}
