// Transaction keys (encInfo): RSA-2048 pairs the JS SDK encrypts transactionId and serviceId
// with. One key per rotation slot, not per transaction (generating one costs ~50 ms of CPU); a
// key stays until every transaction that could use it has expired. Also the RSA PKCS#1 v1.5
// decryption of the SDK's hex ciphertexts, done without RSA_PKCS1_PADDING (Node >= 20.11 refuses
// it, PROTOCOLS.md 4.2).
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
} from 'node:crypto';
import { promisify } from 'node:util';
import { type AppState, appStateKey } from '../core/app-state.ts';
import type { Queryable } from '../core/db.ts';
import { newHexId } from '../core/ids.ts';
import type { KeyStore } from '../core/keystore.ts';
import * as store from './store.ts';

const generateRsa = promisify(generateKeyPair);

/** A new transaction key every hour of domain time. */
export const keyRotationMs = 60 * 60_000;

export interface TransactionKey {
  keyId: string;
  /** encInfo.mod: the modulus as lowercase hex. */
  mod: string;
  /** encInfo.exp: the public exponent as hex (`10001`). */
  exp: string;
  privateKey: KeyObject;
  slot: number;
  retainUntil: number;
}

/** What the key functions need: the database, the master key and the app's key cache. */
export interface TransactionKeyDeps {
  db: Queryable;
  keys: KeyStore;
  state: AppState;
}

// Unsealed keys by keyId, per app: a key never changes once stored (UNIQUE slot).
const transactionKeysKey = appStateKey(
  'web-checkout.transactionKeys',
  () => new Map<string, TransactionKey>(),
);

function load(deps: TransactionKeyDeps, row: store.CheckoutKeyRow): TransactionKey {
  const { keys } = deps;
  const cache = deps.state.get(transactionKeysKey);
  const cached = cache.get(row.keyId);
  if (cached) return cached;
  const privateKey = createPrivateKey(keys.unseal(row.privateKeySealed, `checkout_keys:${row.keyId}`));
  const jwk = createPublicKey(row.publicKeyPem).export({ format: 'jwk' });
  const key: TransactionKey = {
    keyId: row.keyId,
    mod: Buffer.from(String(jwk.n), 'base64url').toString('hex'),
    exp: Buffer.from(String(jwk.e), 'base64url').toString('hex').replace(/^0+/, ''),
    privateKey,
    slot: row.slot,
    retainUntil: row.retainUntil,
  };
  cache.set(row.keyId, key);
  return key;
}

/**
 * The key for transactions created at `now` (made on first use in its slot). `transactionLifetimeMs`
 * sets how long it is kept after its slot ends. Retired keys are deleted on the way.
 */
export async function currentTransactionKey(
  deps: TransactionKeyDeps,
  now: number,
  transactionLifetimeMs: number,
): Promise<TransactionKey> {
  const { db: q, keys } = deps;
  const cache = deps.state.get(transactionKeysKey);
  const slot = Math.floor(now / keyRotationMs);
  // A slot's key never changes once stored (UNIQUE slot): remember it per app.
  for (const key of cache.values()) if (key.slot === slot) return key;
  const existing = await store.findKeyBySlot(q, slot);
  if (existing) return load(deps, existing);
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
  });
  const keyId = newHexId(8);
  const row = await store.insertKeyForSlot(q, {
    keyId,
    slot,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeySealed: keys.seal(
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      `checkout_keys:${keyId}`,
    ),
    createdAt: now,
    retainUntil: (slot + 1) * keyRotationMs + transactionLifetimeMs,
  });
  for (const [id, key] of cache) if (key.retainUntil <= now) cache.delete(id);
  await store.deleteRetiredKeys(q, now);
  return load(deps, row);
}

/** A kept key by its keyId; undefined once retired. */
export async function findTransactionKey(
  deps: TransactionKeyDeps,
  keyId: string,
): Promise<TransactionKey | undefined> {
  const cached = deps.state.get(transactionKeysKey).get(keyId);
  if (cached) return cached;
  const row = await store.findKey(deps.db, keyId);
  return row ? load(deps, row) : undefined;
}

/**
 * Decrypts an RSAES-PKCS1-v1_5 ciphertext given as hex (what the JS SDK posts), returning the
 * plaintext text, or undefined on any failure. Hex without leading zeros is padded to the
 * modulus size. Decrypts raw and checks `00 02 PS(≥8 non-zero) 00 M` itself; every failure looks
 * the same to the caller.
 */
export function decryptPkcs1Hex(hex: string, key: TransactionKey): string | undefined {
  const k = key.mod.length / 2;
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length > 2 * k) return undefined;
  const ciphertext = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const block = Buffer.concat([Buffer.alloc(k - ciphertext.length), ciphertext]);
  let em: Buffer;
  try {
    em = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, block);
  } catch {
    return undefined;
  }
  // Find the separator without an early exit; then judge the whole block at once.
  let separator = 0;
  for (let i = 2; i < em.length; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (separator === 0 ? 1 : 0);
    separator = first ? i : separator;
  }
  const ok = em.length === k && em[0] === 0 && em[1] === 2 && separator >= 10;
  if (!ok) return undefined;
  const text = em.subarray(separator + 1).toString('utf8');
  em.fill(0);
  return text;
}
