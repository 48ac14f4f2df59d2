import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An id of the seed's UUID type (`[a-zA-Z0-9-_]{26,128}`): 32 lowercase hex, like the seed's
 * examples. A version-4 UUID without its dashes (122 random bits): Node draws those from a
 * buffered pool, where `randomBytes(16)` asked the kernel once per id.
 */
export function newUuidId(): string {
  return randomUUID().replaceAll('-', '');
}

/** An unguessable opaque token (base64url of 32 random bytes). */
export function newOpaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A short random id from letters and digits (e.g. the 4-character ATW certificateId). */
export function newAlphanumericId(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphanumerics[randomInt(alphanumerics.length)];
  return out;
}

/** Lowercase hex of `bytes` random bytes (e.g. the 22-hex Web Checkout transaction id uses 11). */
export function newHexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
