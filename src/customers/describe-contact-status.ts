// Whether the customer may be offered anything: an opt-out (a STOP reply or a request) and the
// do-not-disturb list are kept by the channels' contact policy; the agent sees both before offering.
import type { ContactStatus } from './customer-profile.ts';
import type { CustomerRows } from './read-customer-rows.ts';

/** From the customer's keyed rows (read-customer-rows.ts): both lists are read with the rest. */
export function describeContactStatus(rows: Pick<CustomerRows, 'optOut' | 'doNotDisturb'>): ContactStatus {
  const optOut = rows.optOut ?? undefined;
  const dnd = rows.doNotDisturb ?? undefined;
  const zh: string[] = [];
  const en: string[] = [];
  if (optOut) {
    zh.push(`${optOut.since.slice(0, 10)} 起已退订营销信息`);
    en.push(`opted out of marketing since ${optOut.since.slice(0, 10)}`);
  }
  if (dnd) {
    zh.push(`${dnd.since.slice(0, 10)} 起在免打扰名单`);
    en.push(`on the do-not-disturb list since ${dnd.since.slice(0, 10)}`);
  }
  const marketingAllowed = !optOut && !dnd;
  return {
    optedOut: optOut ?? null,
    doNotDisturb: dnd ?? null,
    marketingAllowed,
    label: marketingAllowed
      ? { zh: '可以营销推荐', en: 'may be offered marketing' }
      : { zh: `${zh.join('；')}：请勿推荐`, en: `${en.join('; ')}: do not offer` },
  };
}
