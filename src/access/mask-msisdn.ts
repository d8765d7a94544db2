// Phone numbers masked as 138****5678 for callers without `msisdn.unmasked`: in answers, exports, URLs
// and log lines. A number is 11 digits starting with 1 that are not part of a longer run of digits
// (nor the decimals of a number: 0.13800138000 is left alone).
const msisdnPattern = /(?<![\d.])(1\d{2})\d{4}(\d{4})(?!\d)/g;

/** Masks every phone number in a text, except `keep` (the one number an agent asked for). */
export function maskMsisdnText(text: string, keep?: string): string {
  return text.replace(msisdnPattern, (whole, head: string, tail: string) =>
    whole === keep ? whole : `${head}****${tail}`,
  );
}

/** Masks every string inside a JSON value (numbers stay numbers: phone numbers are strings here). */
export function maskMsisdnValue(value: unknown, keep?: string): unknown {
  if (typeof value === 'string') return maskMsisdnText(value, keep);
  if (Array.isArray(value)) return value.map((v) => maskMsisdnValue(v, keep));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskMsisdnText(k, keep)] = maskMsisdnValue(v, keep);
    return out;
  }
  return value;
}

/** Masks a JSON text by value, so the answer stays valid JSON; a text that is not JSON is masked as text. */
export function maskMsisdnJson(text: string, keep?: string): string {
  if (!/\d{11}/.test(text) || !holdsOtherNumber(text, keep)) return text;
  try {
    return JSON.stringify(maskMsisdnValue(JSON.parse(text), keep));
  } catch {
    return maskMsisdnText(text, keep);
  }
}

/**
 * Whether the JSON text holds a number to mask. A profile always holds its own number (`keep`): scanning
 * the text spares parsing and writing the whole answer again (issue 15). The text finds every number the
 * value walk would (JSON never escapes a digit, and a string's quote is no digit or dot); an escaped digit
 * (\u0030–\u0039, which JSON.stringify never writes) sends the text through the walk all the same.
 */
function holdsOtherNumber(text: string, keep: string | undefined): boolean {
  if (text.includes('\\u003')) return true;
  for (const match of text.matchAll(msisdnPattern)) if (match[0] !== keep) return true;
  return false;
}

export function isMsisdn(text: string): boolean {
  return /^1\d{10}$/.test(text);
}
