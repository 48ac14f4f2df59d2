// The wallet's ids and device tails, shaped like the seed's (user.id, wallet.id, device.id).
import { randomInt } from 'node:crypto';
import { newAlphanumericId } from '../core/ids.ts';

/** A 22-character base62 id, the shape of the seed's user.id and wallet.id. */
export function newWalletScopedId(): string {
  return newAlphanumericId(22);
}

/**
 * A 24-character device id shaped like the seed's (`MTUxMTE5MDAwMjAwMDM1N999`: base64 of a
 * numeric device serial): base64 of 18 random digits, which uses letters and digits only.
 */
export function newDeviceId(): string {
  return Buffer.from(randomDigits(18), 'ascii').toString('base64');
}

export function randomDigits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** Four characters of a serial number, without the letters a serial avoids (I, O). */
export function randomSerialTail(): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let out = '';
  for (let i = 0; i < 4; i++) out += chars[randomInt(chars.length)];
  return out;
}
