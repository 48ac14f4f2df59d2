import { constants, type KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { assertRsaKey, modulusBytes } from './internal/keys.ts';

/**
 * Unwraps a content-encryption key wrapped with RSAES-PKCS1-v1_5 (JWE `alg: "RSA1_5"`).
 *
 * Never fails on bad input: when the block is not a valid PKCS#1 v1.5 encryption block carrying
 * exactly `expectedLength` bytes, it returns a random key of that length, so the failure only
 * shows up later as the AES-GCM tag check (RFC 7516 §11.5, the Bleichenbacher/Marvin defence).
 *
 * @example
 * ```ts
 * const cek = unwrapRsa1_5(encryptedKey, merchantPrivateKey, 16);
 * ```
 */
export function unwrapRsa1_5(
  encryptedKey: Uint8Array,
  privateKey: KeyObject,
  expectedLength: number,
): Buffer {
  assertRsaKey(privateKey, 'private', 'privateKey');
  const k = modulusBytes(privateKey);
  // PKCS#1 v1.5 needs 00 02, at least 8 padding bytes and the 00 separator around the payload.
  if (!Number.isInteger(expectedLength) || expectedLength < 1 || expectedLength > k - 11) {
    throw new TypeError(`expectedLength must be an integer between 1 and ${k - 11}`);
  }
  // RFC 7516 §11.5: draw the substitute before looking at the block, on every path.
  const substitute = randomBytes(expectedLength);
  // The length and "c >= n" are public facts about the ciphertext, so failing early on them
  // gives an attacker nothing new.
  if (encryptedKey.length !== k) return substitute;
  let em: Buffer;
  try {
    // PROTOCOLS.md 4.2: Node >= 20.11 refuses RSA_PKCS1_PADDING here (CVE-2023-46809), so
    // decrypt raw and check the padding ourselves.
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encryptedKey);
  } catch {
    return substitute;
  }
  if (em.length !== k) return substitute;

  // Constant time: no branch or early exit depends on the decrypted bytes. `bad` stays 0 only
  // for 00 02 <non-zero bytes> 00 <expectedLength bytes>.
  const separator = k - expectedLength - 1;
  let bad = em[0]! | (em[1]! ^ 0x02) | em[separator]!;
  for (let i = 2; i < separator; i++) bad |= ((em[i]! - 1) >>> 31) & 1; // 1 when the byte is 0
  const keep = (((bad - 1) >>> 31) & 1) * 0xff; // 0xff when bad === 0, else 0
  const out = Buffer.allocUnsafe(expectedLength);
  for (let i = 0; i < expectedLength; i++) {
    out[i] = (em[separator + 1 + i]! & keep) | (substitute[i]! & ~keep & 0xff);
  }
  em.fill(0);
  substitute.fill(0);
  return out;
}

/**
 * Wraps a content-encryption key with RSAES-PKCS1-v1_5 (JWE `alg: "RSA1_5"`). Public-key
 * encryption with PKCS#1 v1.5 padding is still allowed on Node 20.
 *
 * @example
 * ```ts
 * const encryptedKey = wrapRsa1_5(randomBytes(16), merchantPublicKey);
 * ```
 */
export function wrapRsa1_5(cek: Uint8Array, publicKey: KeyObject): Buffer {
  assertRsaKey(publicKey, 'public', 'publicKey');
  if (cek.length < 1 || cek.length > modulusBytes(publicKey) - 11) {
    throw new TypeError('cek length does not fit an RSA1_5 block for this key');
  }
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
}
