// The platform's keys per partner (PROTOCOLS.md 2.2): the key pair that decrypts a partner's cdata
// JWE, and the platform AUTH key with its certificateId.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import { PlatformError } from '../core/errors.ts';
import type { KeyStore } from '../core/keystore.ts';
import { PLATFORM_AUTH_KEY_NAME, readCertificate } from '../core/pki.ts';
import { cachedLookup, memoParsedKey } from './lookup-cache.ts';
import { platformKeyContext } from './onboarding-support.ts';
import * as store from './store.ts';

export interface PlatformKey {
  certificatePem: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** PROTOCOLS.md 2.2: the platform's key pair for a partner (decrypts that partner's cdata JWE). */
export async function getPartnerPlatformKey(
  q: Queryable,
  keys: KeyStore,
  partnerId: string,
): Promise<(PlatformKey & { partnerId: string }) | undefined> {
  return cachedLookup(q, 'platformKeys', partnerId, () => loadPartnerPlatformKey(q, keys, partnerId));
}

async function loadPartnerPlatformKey(
  q: Queryable,
  keys: KeyStore,
  partnerId: string,
): Promise<(PlatformKey & { partnerId: string }) | undefined> {
  const row = await store.findPlatformKey(q, partnerId);
  if (!row) return undefined;
  // Memoized by the sealed text and the partner it is bound to (the unseal checks both).
  const privateKey = memoParsedKey(q, `${partnerId}\n${row.privateKeySealed}`, () =>
    createPrivateKey(keys.unseal(row.privateKeySealed, platformKeyContext(partnerId))),
  );
  return {
    partnerId,
    certificatePem: row.certificatePem,
    privateKey,
    publicKey: memoParsedKey(q, row.certificatePem, () => createPublicKey(privateKey)),
  };
}

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable 4-alphanumeric certificateId derived from a certificate fingerprint [ours]. */
export function certificateIdFromFingerprint(fingerprintHex: string): string {
  const bytes = Buffer.from(fingerprintHex, 'hex');
  let id = '';
  for (let i = 0; i < 4; i++) id += alphanumerics[(bytes[i] ?? 0) % alphanumerics.length];
  return id;
}

/**
 * PROTOCOLS.md 3.1: the key that signs the platform's AUTH tokens to partners, with its certificate
 * (handed to every partner at onboarding) and the certificateId the tokens carry [ours: derived
 * from the certificate's fingerprint].
 */
export async function getPlatformAuthKey(
  q: Queryable,
  keys: KeyStore,
): Promise<PlatformKey & { certificateId: string }> {
  const stored = await keys.get(q, PLATFORM_AUTH_KEY_NAME);
  if (!stored?.privateKeyPem || !stored.certificatePem)
    throw new PlatformError('BAD_CONFIG', 'the platform AUTH key is missing (loadSandboxPki creates it)');
  const privateKey = createPrivateKey(stored.privateKeyPem);
  return {
    certificatePem: stored.certificatePem,
    privateKey,
    publicKey: createPublicKey(privateKey),
    certificateId: certificateIdFromFingerprint(readCertificate(stored.certificatePem).fingerprint256),
  };
}
