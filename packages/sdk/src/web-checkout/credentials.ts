// Decrypting Web Checkout payment credentials (`3DS.data`, PROTOCOLS.md 4.2) on Node >= 20 with
// no flags: compact JWE, RSA1_5 + A128GCM with EMPTY additional authenticated data.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { decryptCredential, JoseError } from '@cardport/jose';
import type { CredentialPayload } from '@cardport/protocol';

/** One private key (KeyObject or PEM), several, or a Map of `kid` to key. */
export type CredentialKeyInput =
  | KeyObject
  | string
  | readonly (KeyObject | string)[]
  | ReadonlyMap<string, KeyObject | string>;

/** The decrypted credential: the wire payload, plus typed and normalized fields. */
export interface DecryptedCredentials {
  /** Exactly the members of the plaintext (all strings; order never matters). */
  raw: CredentialPayload;
  /** `amount` in minor units, as a string of digits (`"9876"` for 98.76 USD). */
  amount: string;
  currency: string;
  /** `utc` as epoch milliseconds. */
  utc: number;
  tokenPan: string;
  /** MMYY. */
  tokenPanExpiration: string;
  /** Base64 cryptogram (TAVV / UCAF value). */
  cryptogram: string;
  /**
   * The ECI as two digits: Visa sends "05" (or "07"), Mastercard "5" (or none), which becomes
   * "05"; undefined when the credential carries none. The original is in `raw.eci_indicator`.
   */
  eci: string | undefined;
  /** The `kid` of the JWE header (base64 SHA-256 of the recipient key's SubjectPublicKeyInfo). */
  kid: string | undefined;
}

/** A credential that cannot be decrypted or is not a payment credential. `code` is the JOSE code. */
export class CredentialDecryptionError extends Error {
  override readonly name = 'CredentialDecryptionError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// The rules of PROTOCOLS.md 4.2 (the same as @cardport/protocol's credentialPayloadSchema),
// checked by hand: this runs once per payment and zod would cost a fifth of the decryption.
const payloadRules: readonly [keyof CredentialPayload, RegExp, string, boolean][] = [
  ['amount', /^[0-9]{1,18}$/, 'must be digits (minor units)', true],
  ['currency_code', /^[A-Z]{3}$/, 'must be an ISO 4217 code', true],
  ['utc', /^[0-9]{1,16}$/, 'must be epoch milliseconds as digits', true],
  ['eci_indicator', /^[0-9]{1,2}$/, 'must be 1 or 2 digits', false],
  ['tokenPAN', /^[0-9]{12,19}$/, 'must be 12 to 19 digits', true],
  ['tokenPanExpiration', /^(0[1-9]|1[0-2])[0-9]{2}$/, 'must be MMYY', true],
  ['cryptogram', /^[A-Za-z0-9+/]+={0,2}$/, 'must be base64', true],
];

function checkPayload(payload: Record<string, unknown>): CredentialPayload {
  for (const [name, pattern, reason, required] of payloadRules) {
    const value = payload[name];
    if (value === undefined && !required) continue;
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new CredentialDecryptionError(
        'ERR_PAYLOAD_INVALID',
        `credential payload is not valid: ${name} ${value === undefined ? 'is missing' : reason}`,
      );
    }
  }
  return payload as CredentialPayload;
}

function toKey(key: KeyObject | string): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

function toKeys(input: CredentialKeyInput): KeyObject | KeyObject[] | Map<string, KeyObject> {
  if (typeof input === 'string' || !(Array.isArray(input) || input instanceof Map))
    return toKey(input as KeyObject | string);
  if (input instanceof Map) return new Map([...input].map(([kid, k]) => [kid, toKey(k)] as const));
  return (input as readonly (KeyObject | string)[]).map(toKey);
}

/** Visa "05"/"07" stay; Mastercard's one-digit "5" (and any one digit) gets its leading zero. */
export function normalizeEci(eci: string | undefined): string | undefined {
  if (eci === undefined || eci === '') return undefined;
  return eci.length === 1 ? `0${eci}` : eci;
}

/**
 * Decrypts `3DS.data` from `credentials.retrieve(refId)` with your merchant private key (the key
 * of the CSR you registered). With several keys, the one whose SPKI hash matches the `kid` is
 * used. Throws {@link CredentialDecryptionError}.
 *
 * @example
 *   const c = decryptCredentials(response['3DS'].data, fs.readFileSync('merchant-key.pem', 'utf8'));
 *   c.tokenPan; c.cryptogram; c.amount; // "9876" (minor units)
 */
export function decryptCredentials(jwe: string, privateKey: CredentialKeyInput): DecryptedCredentials {
  let decrypted: ReturnType<typeof decryptCredential>;
  try {
    decrypted = decryptCredential(jwe, toKeys(privateKey));
  } catch (err) {
    if (err instanceof JoseError) throw new CredentialDecryptionError(err.code, err.message, { cause: err });
    throw err;
  }
  const raw = checkPayload(decrypted.payload);
  const kid = decrypted.header.kid;
  return {
    raw,
    amount: raw.amount,
    currency: raw.currency_code,
    utc: Number(raw.utc),
    tokenPan: raw.tokenPAN,
    tokenPanExpiration: raw.tokenPanExpiration,
    cryptogram: raw.cryptogram,
    eci: normalizeEci(raw.eci_indicator),
    kid: typeof kid === 'string' ? kid : undefined,
  };
}
