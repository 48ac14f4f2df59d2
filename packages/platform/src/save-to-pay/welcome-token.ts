// The welcome token: a compact JWE `{"alg":"dir","enc":"A256GCM"}` (PROTOCOLS.md 1.3: the real
// one decodes to this header) under a 256-bit platform key kept sealed in the key store. Its
// payload names the registration, the token id and the expiry; nothing in the URL is guessable
// or readable without the key. The format is ours and only the platform reads it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type AppState, appStateKey } from '../core/app-state.ts';
import type { Queryable } from '../core/db.ts';
import type { KeyStore } from '../core/keystore.ts';

const KEY_NAME = 's2p-welcome-token';
const HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');

export interface WelcomeTokenPayload {
  /** regId */
  rid: string;
  /** Token id: only the registration's current one is valid. */
  jti: string;
  /** Expiry, epoch ms on the platform clock. */
  exp: number;
}

// The key never changes once created: one lookup (and unseal) per app, kept in the app's state.
const welcomeKeyState = appStateKey('save-to-pay.welcomeTokenKey', () => ({
  key: undefined as Promise<Buffer> | undefined,
}));

/** The 32-byte key, created on first use and sealed with the master key. */
export function welcomeTokenKey(deps: { keys: KeyStore; state: AppState }, q: Queryable): Promise<Buffer> {
  const held = deps.state.get(welcomeKeyState);
  if (!held.key) {
    const key = deps.keys
      .getOrCreate(q, KEY_NAME, () => ({ privateKeyPem: randomBytes(32).toString('base64url') }))
      .then((stored) => {
        if (!stored.privateKeyPem) throw new Error('welcome token key has no secret');
        return Buffer.from(stored.privateKeyPem, 'base64url');
      });
    key.catch(() => {
      if (held.key === key) held.key = undefined;
    });
    held.key = key;
  }
  return held.key;
}

/** Seals a payload; `iv` (12 bytes) must never repeat for different payloads under one key. */
export function sealWelcomeToken(
  key: Buffer,
  payload: WelcomeTokenPayload,
  iv: Buffer = randomBytes(12),
): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(HEADER, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${HEADER}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** The payload, or undefined for anything that is not a token this key made (never throws). */
export function openWelcomeToken(key: Buffer, token: string): WelcomeTokenPayload | undefined {
  if (token.length > 1024) return undefined;
  const parts = token.split('.');
  if (parts.length !== 5 || parts.some((p) => !B64URL.test(p))) return undefined;
  const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (header !== HEADER || encryptedKey !== '') return undefined;
  try {
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== 12 || tagBytes.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
    decipher.setAAD(Buffer.from(header, 'ascii'));
    decipher.setAuthTag(tagBytes);
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    const payload = JSON.parse(plain.toString('utf8')) as Partial<WelcomeTokenPayload>;
    if (
      typeof payload.rid !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      return undefined;
    }
    return { rid: payload.rid, jti: payload.jti, exp: payload.exp };
  } catch {
    return undefined;
  }
}
