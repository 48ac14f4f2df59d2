import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';

/** A private key given as a KeyObject or PEM (PKCS#8 or PKCS#1). */
export type PrivateKeyInput = KeyObject | string;
/** A public key given as a certificate PEM (what onboarding hands out), an X509Certificate or a KeyObject. */
export type PublicKeyInput = KeyObject | X509Certificate | string;

export function toPrivateKey(key: PrivateKeyInput, name: string): KeyObject {
  if (typeof key === 'string') return createPrivateKey(key);
  if (key?.type !== 'private') throw new TypeError(`${name} must be a private key (KeyObject or PEM)`);
  return key;
}

export function toPublicKey(key: PublicKeyInput, name: string): KeyObject {
  if (typeof key === 'string') return new X509Certificate(key).publicKey;
  if (key instanceof X509Certificate) return key.publicKey;
  if (key?.type === 'public') return key;
  throw new TypeError(`${name} must be a certificate PEM, an X509Certificate or a public KeyObject`);
}

/** A clock for `utc` stamps: anything with `now()` in epoch ms. */
export interface SdkClock {
  now(): number;
}
