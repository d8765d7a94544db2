// Writing ASCII fields straight into a Buffer, for the feeds too large to build as strings.

export function putFixedDigits(target: Buffer, at: number, value: number, width: number): number {
  let rest = value;
  for (let k = at + width - 1; k >= at; k--) {
    target[k] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + width;
}

export function putInt(target: Buffer, at: number, value: number): number {
  let width = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) width++;
  return putFixedDigits(target, at, value, width);
}

export function putBytes(target: Buffer, at: number, bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) target[at + k] = bytes[k]!;
  return at + bytes.length;
}

export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'utf8'));
}
