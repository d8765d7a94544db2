// The held-out control of a rule: deterministic by hash of MSISDN and rule id, so the same subscriber
// is always in or always out of a rule's control, across restarts and replays.

/** FNV-1a over the text, as a fraction in [0, 1). */
export function hashFraction(text: string): number {
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

export function isControl(msisdn: string, ruleId: string, fraction: number): boolean {
  return fraction > 0 && hashFraction(`${msisdn}|${ruleId}`) < fraction;
}
