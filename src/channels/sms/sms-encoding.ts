// Turns a text into the short_message bytes of one or more submit_sm: the GSM default alphabet
// (data_coding 0, one septet per octet, as SMSCs take it over SMPP) when every character has a GSM
// code, UCS-2 (data_coding 8) otherwise, e.g. for Chinese. Texts longer than one SMS are split into
// parts that carry a concatenation UDH (IEI 0x00: reference, total, sequence); the parts never cut an
// escape sequence or a surrogate pair. The `smpp` package does not split, so this does.

export type DataCoding = 0 | 8;

export interface SmsPart {
  /** UDH (when concatenated) followed by the encoded text. */
  shortMessage: Buffer;
  /** 0x40 (UDH indicator) for concatenated parts. */
  esmClass: number;
  dataCoding: DataCoding;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED: Record<string, number> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};
const basicCode = new Map([...GSM_BASIC].map((ch, i) => [ch, i]));

const LIMITS = { 0: { single: 160, part: 153 }, 8: { single: 70, part: 67 } } as const;
const MAX_PARTS = 255;

/** GSM septets of each character, or undefined when one has no GSM code. */
function gsmUnits(text: string): number[][] | undefined {
  const units: number[][] = [];
  for (const ch of text) {
    const code = basicCode.get(ch);
    if (code !== undefined && code !== 0x1b) units.push([code]);
    else if (ch in GSM_EXTENDED) units.push([0x1b, GSM_EXTENDED[ch]!]);
    else return undefined;
  }
  return units;
}

/** UTF-16 code units per character (a pair for characters beyond the BMP). */
function ucs2Units(text: string): number[][] {
  const units: number[][] = [];
  for (const ch of text) {
    const unit: number[] = [];
    for (let i = 0; i < ch.length; i++) unit.push(ch.charCodeAt(i));
    units.push(unit);
  }
  return units;
}

export function chooseDataCoding(text: string): DataCoding {
  return gsmUnits(text) ? 0 : 8;
}

/** Splits `text` into SMS parts; `reference` (0–255) is the same in every part of one message. */
export function encodeSms(text: string, reference: number): SmsPart[] {
  const gsm = gsmUnits(text);
  const dataCoding: DataCoding = gsm ? 0 : 8;
  const units = gsm ?? ucs2Units(text);
  const length = units.reduce((n, u) => n + u.length, 0);
  const limits = LIMITS[dataCoding];
  if (length <= limits.single) return [{ shortMessage: toBytes(units, dataCoding), esmClass: 0, dataCoding }];
  const chunks: number[][][] = [];
  let chunk: number[][] = [];
  let used = 0;
  for (const unit of units) {
    if (used + unit.length > limits.part) {
      chunks.push(chunk);
      chunk = [];
      used = 0;
    }
    chunk.push(unit);
    used += unit.length;
  }
  if (chunk.length > 0) chunks.push(chunk);
  if (chunks.length > MAX_PARTS)
    throw new RangeError(`text needs ${chunks.length} parts; an SMS has at most ${MAX_PARTS}`);
  return chunks.map((c, i) => ({
    shortMessage: Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]),
      toBytes(c, dataCoding),
    ]),
    esmClass: 0x40,
    dataCoding,
  }));
}

function toBytes(units: number[][], dataCoding: DataCoding): Buffer {
  const flat = units.flat();
  if (dataCoding === 0) return Buffer.from(flat);
  const out = Buffer.alloc(flat.length * 2);
  for (let i = 0; i < flat.length; i++) out.writeUInt16BE(flat[i]!, i * 2);
  return out;
}

/** Reads back a part's text (the SMSC side and tests): strips a UDH, decodes GSM or UCS-2. */
export function decodeSms(
  shortMessage: Buffer,
  dataCoding: number,
  esmClass: number,
): { text: string; reference?: number; total?: number; sequence?: number } {
  let body = shortMessage;
  let udh: { reference: number; total: number; sequence: number } | undefined;
  if (esmClass & 0x40 && body.length > 0) {
    const length = body[0]!;
    if (body[1] === 0x00 && body[2] === 0x03) udh = { reference: body[3]!, total: body[4]!, sequence: body[5]! };
    body = body.subarray(length + 1);
  }
  let text = '';
  if ((dataCoding & 0x0f) === 8) {
    for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode(body.readUInt16BE(i));
  } else {
    for (let i = 0; i < body.length; i++) {
      const code = body[i]!;
      if (code === 0x1b && i + 1 < body.length) {
        const next = body[++i]!;
        text += Object.keys(GSM_EXTENDED).find((k) => GSM_EXTENDED[k] === next) ?? ' ';
      } else text += GSM_BASIC[code] ?? '?';
    }
  }
  return { text, ...udh };
}

/** One UDH reference per message, derived from its id so a resend of missing parts reuses it. */
export function concatReference(messageId: string): number {
  let h = 0;
  for (let i = 0; i < messageId.length; i++) h = (h * 31 + messageId.charCodeAt(i)) | 0;
  return (h >>> 0) & 0xff;
}
