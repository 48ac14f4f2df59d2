// Ids of onboarding [ours]: partner, ATW card and Web Checkout service ids, and the merchant key id.
import { createHash, type KeyObject, randomInt } from 'node:crypto';
import { newHexId } from '../core/ids.ts';

/** 32 decimal digits, first non-zero: a seed UUID, an ATW numeric partnerId and a String(32). */
export function newPartnerId(): string {
  let id = String(randomInt(1, 10));
  for (let i = 0; i < 31; i++) id += String(randomInt(0, 10));
  return id;
}

const lowerAlphanumerics = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An ATW cardId: 13 lowercase alphanumerics. */
export function newCardId(): string {
  let id = '';
  for (let i = 0; i < 13; i++) id += lowerAlphanumerics[randomInt(lowerAlphanumerics.length)];
  return id;
}

/** A Web Checkout serviceId: 32 lowercase hex. */
export function newServiceId(): string {
  return newHexId(16);
}

/** PROTOCOLS.md 4.2: kid = standard base64 (padded) of SHA-256 over the DER SubjectPublicKeyInfo. */
export function merchantKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}
