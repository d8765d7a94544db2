// The global control group: a stable share of subscribers that no marketing ever reaches, so the
// total effect of all marketing can be measured. Stable by hash of the subscriber alone (not of a
// campaign or rule), so the same people stay out across sources, restarts and machines.

/** FNV-1a with a final mix, as a fraction in [0, 1). */
function hashFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

export function inGlobalControlGroup(subscriber: string, share: number): boolean {
  return share > 0 && hashFraction(`global-control|${subscriber}`) < share;
}
