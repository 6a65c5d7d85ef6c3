/**
 * Bearer tokens: 32 random bytes, base64url, shown once. Only the SHA-256 is stored; comparisons of
 * hashes use timingSafeEqual so the check does not leak how many leading bytes matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` hashes to `expectedHash` (hex). False for malformed input, never a throw. */
export function tokenMatches(token: string, expectedHash: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(expectedHash)) return false;
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(expectedHash.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Tokens we issue are 43 base64url characters; accept a little slack but refuse junk before hashing. */
export function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{20,200}$/.test(token);
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
