// Whether the customer may be offered anything: an opt-out (a STOP reply or a request) and the
// do-not-disturb list are kept by the channels' contact policy; the agent sees both before offering.
import type { Warehouse } from '../warehouse/index.ts';
import type { ContactStatus } from './customer-profile.ts';

export async function describeContactStatus(reader: Warehouse, msisdn: string): Promise<ContactStatus> {
  // Both lists in one keyed read (one round trip instead of two; each branch still uses its key).
  const rows = await reader.all<{ list: 'opt-out' | 'dnd'; since: string; detail: string | null }>(
    `SELECT 'opt-out' AS list, CAST(since AS VARCHAR) AS since, via AS detail FROM channel_opt_outs WHERE msisdn = ?
     UNION ALL
     SELECT 'dnd', CAST(since AS VARCHAR), note FROM channel_dnd WHERE msisdn = ?`,
    [msisdn, msisdn],
  );
  const optOutRow = rows.find((r) => r.list === 'opt-out');
  const dndRow = rows.find((r) => r.list === 'dnd');
  const optOut = optOutRow ? { since: optOutRow.since, via: optOutRow.detail ?? '' } : undefined;
  const dnd = dndRow ? { since: dndRow.since, note: dndRow.detail } : undefined;
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
