// The token service's keys: the RSA key partners encrypt issuerBlobs to, and the HMAC secrets of
// PAN fingerprints and cryptograms, all kept (sealed) in the platform's key store.
import { createHmac, createPublicKey, generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../core/clock.ts';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import type { KeyStore } from '../core/keystore.ts';

/** What the token service needs from the app context. */
export interface TspDeps {
  keys: KeyStore;
  clock: Clock;
}

/** KeyStore names of the TSP's keys. */
export const tspKeyNames = {
  /** RSA-2048: partners encrypt issuerBlobs to its public half. */
  issuerBlob: 'tsp-issuer-blob',
  /** 32-byte HMAC key: fingerprints of funding PANs and lookup hashes of token PANs. */
  panFingerprint: 'tsp-pan-fingerprint',
  /** 32-byte HMAC key: payment cryptograms. */
  cryptogram: 'tsp-cryptogram',
} as const;

// Keys

const generateRsa = promisify(generateKeyPair);

/** The RSA-2048 key pair issuerBlobs are encrypted to, made on first use. */
export async function issuerBlobKey(q: Queryable, deps: TspDeps) {
  return deps.keys.getOrCreate(q, tspKeyNames.issuerBlob, async () => {
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
    return {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  });
}

/** A 32-byte secret kept (sealed) in the private-key slot of the key store. */
export async function secretKey(q: Queryable, deps: TspDeps, name: string): Promise<Buffer> {
  const stored = await deps.keys.getOrCreate(q, name, () => ({
    privateKeyPem: randomBytes(32).toString('base64url'),
  }));
  if (!stored.privateKeyPem) throw new PlatformError('INTERNAL', `key ${name} has no secret`);
  return Buffer.from(stored.privateKeyPem, 'base64url');
}

/** The token service's public key as PEM (SPKI): what partners encrypt issuerBlobs to. */
export async function getTspPublicKeyPem(q: Queryable, deps: TspDeps): Promise<string> {
  const key = await issuerBlobKey(q, deps);
  if (!key.publicKeyPem) throw new PlatformError('INTERNAL', 'TSP key has no public half');
  return key.publicKeyPem;
}

/** The token service's public key, e.g. for `createIssuerBlob` in tests and demo partners. */
export async function getTspPublicKey(q: Queryable, deps: TspDeps): Promise<KeyObject> {
  return createPublicKey(await getTspPublicKeyPem(q, deps));
}

/** HMAC-SHA256 of `value` in a named domain (fingerprints, lookup hashes), hex. */
export function hmac(key: Buffer, domain: string, value: string): string {
  return createHmac('sha256', key).update(`${domain}\n${value}`, 'utf8').digest('hex');
}
