// Random secrets (session ids, API tokens, generated passwords) and the one-way hash that is stored
// in their place: a leaked warehouse file then opens no session and no token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A token's public id: letters and digits only. base64url ids held '-' and '_': one starting with '-'
 * was read as an option by `telmark token revoke ID` (exit 2), and one holding '_' broke the
 * `tmk_<id>_<secret>` reading of a token. Not a secret, so the slight modulo bias does not matter.
 */
export function newTokenId(length = 8): string {
  return randomText('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', length);
}

/** A password people can type: 16 characters without look-alikes (0/O, 1/l/I). */
export function newPassword(length = 16): string {
  return randomText('abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789', length);
}

/** `length` characters drawn from `alphabet`, one random byte each. */
function randomText(alphabet: string, length: number): string {
  let text = '';
  for (const byte of randomBytes(length)) text += alphabet[byte % alphabet.length];
  return text;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
