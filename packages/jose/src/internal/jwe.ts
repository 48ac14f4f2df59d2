import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { JoseError } from '../errors.ts';
import { unwrapRsa1_5, wrapRsa1_5 } from '../rsa1-5.ts';
import { encodeBase64url } from './base64url.ts';
import { decodePart, decodeProtectedHeader, splitCompact } from './compact.ts';

const CEK_BYTES = 16; // A128GCM
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What AES-GCM authenticates besides the ciphertext: `protected-header` is RFC 7516 §5.1 step 14
 * (used by cdata), `empty` is Samsung's payment credential (PROTOCOLS.md 4.2).
 */
export type AadMode = 'protected-header' | 'empty';

/** A compact RSA1_5 + A128GCM JWE taken apart, not yet decrypted. */
export interface ParsedJwe {
  readonly header: Record<string, unknown>;
  readonly headerPart: string;
  readonly encryptedKey: Buffer;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** Encrypts `plaintext` to `publicKey` as a compact RSA1_5 + A128GCM JWE. */
export function encryptCompactJwe(
  header: Record<string, unknown>,
  plaintext: Uint8Array,
  publicKey: KeyObject,
  aad: AadMode,
): string {
  const cek = randomBytes(CEK_BYTES);
  const iv = randomBytes(IV_BYTES);
  const encryptedKey = wrapRsa1_5(cek, publicKey);
  const headerPart = encodeBase64url(JSON.stringify(header));
  const cipher = createCipheriv('aes-128-gcm', cek, iv, { authTagLength: TAG_BYTES });
  if (aad === 'protected-header') cipher.setAAD(Buffer.from(headerPart, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  cek.fill(0);
  return [headerPart, encryptedKey, iv, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : encodeBase64url(part)))
    .join('.');
}

/** Parses a compact JWE, insisting on `alg: "RSA1_5"`, `enc: "A128GCM"` and no compression. */
export function parseCompactJwe(token: unknown, maxLength: number): ParsedJwe {
  const [headerPart, keyPart, ivPart, ciphertextPart, tagPart] = splitCompact(
    token,
    5,
    'ERR_JWE_INVALID',
    maxLength,
  );
  const header = decodeProtectedHeader(headerPart, 'ERR_JWE_INVALID');
  if (header['alg'] !== 'RSA1_5') {
    throw new JoseError('ERR_JWE_ALG_NOT_ALLOWED', 'JWE alg must be RSA1_5', { member: 'alg' });
  }
  if (header['enc'] !== 'A128GCM') {
    throw new JoseError('ERR_JWE_ALG_NOT_ALLOWED', 'JWE enc must be A128GCM', { member: 'enc' });
  }
  if ('zip' in header) {
    throw new JoseError('ERR_HEADER_INVALID', 'protected header member zip is not supported', {
      member: 'zip',
    });
  }
  const encryptedKey = decodePart(keyPart, 'ERR_JWE_INVALID', 'JWE encrypted key');
  const iv = decodePart(ivPart, 'ERR_JWE_INVALID', 'JWE initialization vector');
  const ciphertext = decodePart(ciphertextPart, 'ERR_JWE_INVALID', 'JWE ciphertext');
  const tag = decodePart(tagPart, 'ERR_JWE_INVALID', 'JWE authentication tag');
  if (encryptedKey.length === 0) throw new JoseError('ERR_JWE_INVALID', 'JWE encrypted key is empty');
  if (iv.length !== IV_BYTES) throw new JoseError('ERR_JWE_INVALID', `JWE IV must be ${IV_BYTES} bytes`);
  // Node's setAuthTag would accept a truncated tag; only the full 16 bytes are allowed.
  if (tag.length !== TAG_BYTES) throw new JoseError('ERR_JWE_INVALID', `JWE tag must be ${TAG_BYTES} bytes`);
  return { header, headerPart, encryptedKey, iv, ciphertext, tag };
}

/**
 * Decrypts a parsed JWE. A wrong key, a bad RSA block and any tampering all end in the same
 * ERR_JWE_DECRYPTION_FAILED, raised by the GCM tag check (RFC 7516 §11.5).
 */
export function decryptCompactJwe(jwe: ParsedJwe, privateKey: KeyObject, aad: AadMode): Buffer {
  const cek = unwrapRsa1_5(jwe.encryptedKey, privateKey, CEK_BYTES);
  try {
    const decipher = createDecipheriv('aes-128-gcm', cek, jwe.iv, { authTagLength: TAG_BYTES });
    if (aad === 'protected-header') decipher.setAAD(Buffer.from(jwe.headerPart, 'ascii'));
    decipher.setAuthTag(jwe.tag);
    return Buffer.concat([decipher.update(jwe.ciphertext), decipher.final()]);
  } catch {
    throw new JoseError('ERR_JWE_DECRYPTION_FAILED', 'JWE decryption failed');
  } finally {
    cek.fill(0);
  }
}
