// Key pairs: generated (RSA, EC P-256 on the thread pool), read and imported for signing.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidInput } from './errors.ts';
import { MAX_PEM_LENGTH } from './pki-pem.ts';

/** RS256 and RSA1_5 need at least 2048-bit keys (RFC 7518 §3.3, §4.2). */
export const MIN_RSA_BITS = 2048;

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export const generateKeyPairAsync = promisify(generateKeyPair);

/** A fresh RSA key pair as PEM (PKCS#8 private, SPKI public), generated off the event loop. */
export async function generateRsaKeyPair(bits = MIN_RSA_BITS): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export async function generateEcKeyPair(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

export type SigningAlgorithm = RsaHashedImportParams | (EcKeyImportParams & { hash: string });

export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    if (curve === 'secp384r1') return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
  }
  throw invalidInput('unsupported signing key: use RSA, or EC on P-256 or P-384');
}

export function readPrivateKey(privateKeyPem: string, what = 'private key'): KeyObject {
  if (privateKeyPem.length > MAX_PEM_LENGTH || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem)) {
    throw invalidInput(`${what} is not a PEM private key (an encrypted key must be decrypted first)`);
  }
  try {
    return createPrivateKey(privateKeyPem);
  } catch {
    throw invalidInput(`${what} is not a readable private key (an encrypted key must be decrypted first)`);
  }
}

export async function importKeyPair(
  privateKeyPem: string,
): Promise<{ keys: CryptoKeyPair; alg: SigningAlgorithm }> {
  const privateKey = readPrivateKey(privateKeyPem);
  const alg = signingAlgorithmFor(privateKey);
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    alg,
    keys: {
      privateKey: await subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']),
      publicKey: await subtle.importKey('spki', spki, alg, true, ['verify']),
    },
  };
}
