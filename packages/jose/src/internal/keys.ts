import { KeyObject } from 'node:crypto';

/** RFC 7518 §3.3 and §4.2: RS256 and RSA1_5 keys must be at least 2048 bits. */
const MIN_MODULUS_BITS = 2048;

/**
 * Throws a TypeError (a programmer error, not a protocol failure) unless `key` is an RSA
 * KeyObject of the wanted kind and size. `public` also accepts a private key: Node derives the
 * public half.
 */
export function assertRsaKey(
  key: unknown,
  kind: 'public' | 'private',
  name: string,
): asserts key is KeyObject {
  if (!(key instanceof KeyObject) || key.type === 'secret') {
    throw new TypeError(`${name} must be an RSA KeyObject`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`${name} must be an RSA key`);
  if (kind === 'private' && key.type !== 'private') throw new TypeError(`${name} must be a private key`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_MODULUS_BITS) {
    throw new TypeError(`${name} must have a modulus of at least ${MIN_MODULUS_BITS} bits`);
  }
}

/** Length in bytes of the key's modulus, i.e. of its signatures and encrypted keys. */
export function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}
