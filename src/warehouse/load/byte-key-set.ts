// The keys of a small snapshot (cell ids, service ids, a few tens of thousands of numbers) as a set
// that answers "is this field one of them?" straight from the bytes of a record, so the byte-level
// validator makes no string per field. Open addressing over one buffer of every key's UTF-8 bytes.

const EMPTY = -1;
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export class ByteKeySet {
  readonly size: number;
  private readonly bytes: Buffer;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Slot → key index, EMPTY where free; the length is a power of two at least twice the keys. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(keys: Iterable<string>) {
    const unique = [...new Set(keys)];
    const encoded = unique.map((k) => Buffer.from(k, 'utf8'));
    this.size = encoded.length;
    this.bytes = Buffer.concat(encoded);
    this.starts = new Int32Array(encoded.length);
    this.ends = new Int32Array(encoded.length);
    let capacity = 16;
    while (capacity < encoded.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    let offset = 0;
    encoded.forEach((key, index) => {
      this.starts[index] = offset;
      offset += key.length;
      this.ends[index] = offset;
      let slot = hashBytes(this.bytes, this.starts[index]!, offset) & this.mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
    });
  }

  /** Whether every key satisfies `test` (given the key's bytes). */
  every(test: (key: Buffer) => boolean): boolean {
    for (let i = 0; i < this.size; i++) if (!test(this.bytes.subarray(this.starts[i]!, this.ends[i]!))) return false;
    return true;
  }

  /** Whether `source[start, end)` is byte for byte one of the keys. */
  has(source: Uint8Array, start: number, end: number): boolean {
    return this.hasHashed(source, start, end, hashBytes(source, start, end));
  }

  /** has(), with the bytes' hash computed by the caller (FNV-1a, as hashBytes). */
  hasHashed(source: Uint8Array, start: number, end: number, hash: number): boolean {
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === EMPTY) return false;
      const keyStart = this.starts[index]!;
      if (this.ends[index]! - keyStart === length) {
        let i = 0;
        while (i < length && this.bytes[keyStart + i] === source[start + i]) i++;
        if (i === length) return true;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/** FNV-1a over the bytes, 32 bits. */
export function hashBytes(source: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i]!, FNV_PRIME);
  return hash >>> 0;
}
