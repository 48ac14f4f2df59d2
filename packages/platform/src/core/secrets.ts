import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Private keys at rest are sealed with AES-256-GCM under the master key: `v1.<iv>.<tag>.<ciphertext>`.
const version = 'v1';

export class SealError extends Error {
  override readonly name = 'SealError';
}

export function seal(masterKey: Buffer, plaintext: string | Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  // The context (e.g. the key's name) is bound as AAD so a sealed value cannot be swapped to another row.
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    version,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

export function unseal(masterKey: Buffer, sealed: string, context: string): Buffer {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== version || !iv || !tag || ct === undefined)
    throw new SealError('sealed value has an unknown format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  } catch (cause) {
    throw new SealError('cannot unseal: wrong master key (CARDPORT_MASTER_KEY) or corrupted value', {
      cause,
    });
  }
}
