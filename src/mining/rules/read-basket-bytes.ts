// Basket files read as bytes: no string per line or per item. Each item's bytes are hashed and
// interned once (its name decoded only the first time it is seen), so a 100,000-basket file costs one
// pass over its bytes. Two formats:
//   csv  — one transaction a line, items separated by commas, spaces around an item ignored;
//   fimi — the FIMI repository's .dat files: one transaction a line, item ids (non-negative
//          integers) separated by spaces or tabs.
// A line holding only blanks is skipped in both; an item repeated in a basket counts once.
import { AppError } from '../../shared/errors.ts';
import type { BasketSet } from './basket-set.ts';

export type BasketFormat = 'csv' | 'fimi';

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const ZERO = 0x30;

/** Growing id → basket arrays; `add` skips an id already in the current basket. */
class BasketSink {
  items = new Int32Array(1 << 16);
  offsets = new Int32Array(1 << 12);
  used = 0;
  basketCount = 0;
  private lastBasket = new Int32Array(1 << 10).fill(-1);

  add(id: number): void {
    if (id >= this.lastBasket.length) {
      const bigger = new Int32Array(Math.max(id + 1, this.lastBasket.length * 2)).fill(-1);
      bigger.set(this.lastBasket);
      this.lastBasket = bigger;
    }
    if (this.lastBasket[id] === this.basketCount) return;
    this.lastBasket[id] = this.basketCount;
    if (this.used === this.items.length) this.items = grow(this.items, this.used + 1);
    this.items[this.used++] = id;
  }

  endBasket(): void {
    this.basketCount++;
    if (this.basketCount + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.basketCount + 2);
    this.offsets[this.basketCount] = this.used;
  }

  finish(itemNames: string[]): BasketSet {
    return {
      itemNames,
      items: this.items.slice(0, this.used),
      offsets: this.offsets.slice(0, this.basketCount + 1),
      basketCount: this.basketCount,
    };
  }
}

function grow(array: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

/** Interns byte strings: an open-addressing table from the bytes' hash to an id, names decoded once. */
class ItemInterner {
  readonly names: string[] = [];
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly bytes: Uint8Array) {}

  idOf(start: number, end: number): number {
    const { bytes } = this;
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id === -1) return this.insert(slot, h, start, length);
      if (this.hashes[id] !== h || this.lengths[id] !== length) continue;
      const at = this.starts[id]!;
      let same = true;
      for (let k = 0; k < length; k++)
        if (bytes[at + k] !== bytes[start + k]) {
          same = false;
          break;
        }
      if (same) return id;
    }
  }

  private insert(slot: number, h: number, start: number, length: number): number {
    const id = this.names.length;
    if (id === this.starts.length) {
      this.starts = grow(this.starts, id + 1);
      this.lengths = grow(this.lengths, id + 1);
      this.hashes = grow(this.hashes, id + 1);
    }
    this.starts[id] = start;
    this.lengths[id] = length;
    this.hashes[id] = h;
    this.names.push(this.decoder.decode(this.bytes.subarray(start, start + length)));
    this.slots[slot] = id;
    if (this.names.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.names.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

/**
 * Up to this many bytes a CSV basket file is read as text: decoded, split and interned by node's
 * native string code, which a fresh process runs at full speed while the byte loops below still run
 * unoptimised (Groceries-like, 348 kB: 16 ms of CPU against 31 ms). Larger files keep the byte loops,
 * which allocate no string per item (4-5 MB in 30-70 ms).
 */
export const csvTextUpTo = 1 << 20;

/** Comma-separated items, one basket a line (read as text up to textUpTo bytes: see csvTextUpTo). */
export function parseCsvBasketBytes(bytes: Uint8Array, textUpTo = csvTextUpTo): BasketSet {
  if (bytes.length <= textUpTo) {
    const set = parseCsvBasketText(bytes);
    if (set) return set;
  }
  const sink = new BasketSink();
  const interner = new ItemInterner(bytes);
  const n = bytes.length;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 byte-order mark
  while (pos < n) {
    let lineEnd = bytes.indexOf(NEWLINE, pos);
    if (lineEnd === -1) lineEnd = n;
    let blank = true;
    for (let k = pos; k < lineEnd; k++) {
      const c = bytes[k]!;
      if (c !== SPACE && c !== TAB && c !== RETURN) {
        blank = false;
        break;
      }
    }
    if (!blank) {
      let start = pos;
      while (start <= lineEnd) {
        let end = start;
        while (end < lineEnd && bytes[end] !== COMMA) end++;
        let a = start;
        let b = end;
        while (a < b && isBlank(bytes[a]!)) a++;
        while (b > a && isBlank(bytes[b - 1]!)) b--;
        if (b > a) sink.add(interner.idOf(a, b));
        start = end + 1;
      }
      sink.endBasket();
    }
    pos = lineEnd + 1;
  }
  return sink.finish(interner.names);
}

/**
 * The same baskets as the byte loops, read through strings; null (the byte loops then) for bytes that
 * are not UTF-8, where two different invalid sequences are two items with one U+FFFD name, and for a
 * U+FEFF after the byte-order mark, which the byte loops' decoder drops at the start of a name.
 */
function parseCsvBasketText(bytes: Uint8Array): BasketSet | null {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte-order mark
  if (text.includes('\uFFFD') || text.includes('\uFEFF')) return null;
  const sink = new BasketSink();
  const ids = new Map<string, number>();
  const names: string[] = [];
  for (const line of text.split('\n')) {
    let blank = true;
    for (let k = 0; k < line.length && blank; k++) blank = isBlank(line.charCodeAt(k));
    if (blank) continue;
    for (const field of line.split(',')) {
      // only spaces, tabs and carriage returns around an item, as the byte loops (not String.trim)
      let a = 0;
      let b = field.length;
      while (a < b && isBlank(field.charCodeAt(a))) a++;
      while (b > a && isBlank(field.charCodeAt(b - 1))) b--;
      if (b === a) continue;
      const name = a === 0 && b === field.length ? field : field.slice(a, b);
      let id = ids.get(name);
      if (id === undefined) {
        id = names.length;
        ids.set(name, id);
        names.push(name);
      }
      sink.add(id);
    }
    sink.endBasket();
  }
  return sink.finish(names);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === RETURN;
}

/** FIMI .dat: item ids as decimal integers separated by blanks, one basket a line. */
export function parseFimiBasketBytes(bytes: Uint8Array, file = 'baskets'): BasketSet {
  const sink = new BasketSink();
  const names: string[] = [];
  // item number → id; dense, since FIMI files number their items 0..n or 1..n
  let idOfNumber = new Int32Array(1024).fill(-1);
  const n = bytes.length;
  let pos = 0;
  let line = 1;
  let inBasket = false;
  while (pos < n) {
    const c = bytes[pos]!;
    if (c === NEWLINE) {
      if (inBasket) sink.endBasket();
      inBasket = false;
      line++;
      pos++;
    } else if (c === SPACE || c === TAB || c === RETURN) pos++;
    else {
      let value = 0;
      const start = pos;
      while (pos < n) {
        const d = bytes[pos]! - ZERO;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
        pos++;
      }
      const next = pos < n ? bytes[pos]! : NEWLINE;
      if (pos === start || !(next === SPACE || next === TAB || next === RETURN || next === NEWLINE))
        throw fimiError(bytes, file, line, start);
      if (value > 0x7fffffe) throw fimiError(bytes, file, line, start);
      if (value >= idOfNumber.length) {
        const bigger = new Int32Array(Math.max(value + 1, idOfNumber.length * 2)).fill(-1);
        bigger.set(idOfNumber);
        idOfNumber = bigger;
      }
      let id = idOfNumber[value]!;
      if (id === -1) {
        id = names.length;
        idOfNumber[value] = id;
        names.push(String(value));
      }
      sink.add(id);
      inBasket = true;
    }
  }
  if (inBasket) sink.endBasket();
  return sink.finish(names);
}

function fimiError(bytes: Uint8Array, file: string, line: number, at: number): AppError {
  let end = at;
  while (end < bytes.length && !isBlank(bytes[end]!) && bytes[end] !== NEWLINE && end - at < 40) end++;
  const token = new TextDecoder().decode(bytes.subarray(at, end));
  return new AppError('INPUT_INVALID', `item "${token}" is not a FIMI item id (a whole number below 2^27)`, {
    location: { file, line },
    hint: 'a FIMI .dat file holds item ids separated by spaces; for item names separated by commas use --basket-format csv',
  });
}

export function parseBasketBytes(bytes: Uint8Array, format: BasketFormat, file?: string): BasketSet {
  return format === 'fimi' ? parseFimiBasketBytes(bytes, file) : parseCsvBasketBytes(bytes);
}
