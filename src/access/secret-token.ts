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
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let text = '';
  for (const byte of randomBytes(length)) text += alphabet[byte % alphabet.length];
  return text;
}

/** A password people can type: 16 characters without look-alikes (0/O, 1/l/I). */
export function newPassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
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
