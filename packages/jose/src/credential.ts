import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { JoseError } from './errors.ts';
import { isJsonObject, parseJson } from './internal/json.ts';
import { decryptCompactJwe, encryptCompactJwe, parseCompactJwe } from './internal/jwe.ts';
import { assertRsaKey } from './internal/keys.ts';

/** Default cap on a credential JWE; real ones are about 800 characters. */
export const DEFAULT_CREDENTIAL_MAX_LENGTH = 64 * 1024;

/** Protected header of a payment credential JWE (PROTOCOLS.md 4.2). */
export interface CredentialHeader {
  readonly alg: 'RSA1_5';
  readonly enc: 'A128GCM';
  /** Base64 SHA-256 of the recipient's SubjectPublicKeyInfo, see {@link credentialKeyId}. */
  readonly kid?: string;
  /** `"JOSE"` in every real token. */
  readonly typ?: string;
  /** `"RSA_PKI"` in every real token. */
  readonly channelSecurityContext?: string;
  readonly [member: string]: unknown;
}

/** Result of {@link decryptCredential}. */
export interface DecryptedCredential {
  readonly header: CredentialHeader;
  /**
   * The parsed plaintext: all-string members `amount` (minor units), `currency_code`, `utc`,
   * `eci_indicator` (may be absent), `tokenPAN`, `tokenPanExpiration`, `cryptogram`. Member
   * order varies by brand.
   */
  readonly payload: Record<string, unknown>;
  /** The exact decrypted JSON text. */
  readonly plaintext: string;
}

/** Keys for {@link decryptCredential}: one key, several keys, or keys by `kid`. */
export type CredentialKeys = KeyObject | readonly KeyObject[] | ReadonlyMap<string, KeyObject>;

// A pure memo, kept at module level on purpose (tests/architecture/module-state.test.ts lists it):
// a KeyObject is immutable, so its kid (a hash of its public key) can never change, and the value
// is the same for every caller, app or process; the WeakMap holds no key alive and changes no
// behaviour, it only saves a DER export and a SHA-256 on every decryption with the same key.
// The library has no app to hold state in; a cache per call would save nothing.
const keyIds = new WeakMap<KeyObject, string>();

/**
 * The `kid` Samsung puts on payment credentials (PROTOCOLS.md 4.2): standard base64, with
 * padding, of SHA-256 over the DER SubjectPublicKeyInfo of the recipient key. Accepts the public
 * key or its private key.
 *
 * @example
 * ```ts
 * credentialKeyId(merchantPublicKey); // 'BOtxf/GbQW9Lca7qnmZl4FcHFiE/AdZmYXWtx9j2KVk='
 * ```
 */
export function credentialKeyId(publicKey: KeyObject): string {
  assertRsaKey(publicKey, 'public', 'publicKey');
  let kid = keyIds.get(publicKey);
  if (kid === undefined) {
    const spki = (publicKey.type === 'public' ? publicKey : createPublicKey(publicKey)).export({
      type: 'spki',
      format: 'der',
    });
    kid = createHash('sha256').update(spki).digest('base64');
    keyIds.set(publicKey, kid);
  }
  return kid;
}

/**
 * Encrypts a payment credential exactly as Samsung does (PROTOCOLS.md 4.2): compact JWE with the
 * header `{"alg":"RSA1_5","kid":…,"typ":"JOSE","channelSecurityContext":"RSA_PKI","enc":"A128GCM"}`,
 * a 16-byte CEK wrapped with RSAES-PKCS1-v1_5, a 12-byte IV and AES-128-GCM with empty AAD.
 *
 * @example
 * ```ts
 * const data = encryptCredential({ amount: '9876', currency_code: 'USD', … }, merchantPublicKey);
 * ```
 */
export function encryptCredential(
  payload: Readonly<Record<string, string>>,
  recipientPublicKey: KeyObject,
): string {
  if (!isJsonObject(payload)) throw new TypeError('payload must be an object');
  // Member order is part of the wire format: keep Samsung's.
  const header = {
    alg: 'RSA1_5',
    kid: credentialKeyId(recipientPublicKey),
    typ: 'JOSE',
    channelSecurityContext: 'RSA_PKI',
    enc: 'A128GCM',
  };
  // PROTOCOLS.md 4.2: Samsung uses empty AAD, not RFC 7516's protected header.
  return encryptCompactJwe(header, Buffer.from(JSON.stringify(payload), 'utf8'), recipientPublicKey, 'empty');
}

/** Options of {@link decryptCredential}. */
export interface DecryptCredentialOptions {
  /** Longest JWE accepted, in characters. Defaults to {@link DEFAULT_CREDENTIAL_MAX_LENGTH}. */
  readonly maxLength?: number;
}

function pickKey(keys: CredentialKeys, kid: unknown): KeyObject {
  if (keys instanceof KeyObject) return keys;
  let candidates: KeyObject[];
  let byKid: KeyObject | undefined;
  if (keys instanceof Map) {
    const map = keys as ReadonlyMap<string, KeyObject>;
    candidates = [...map.values()];
    byKid = typeof kid === 'string' ? map.get(kid) : undefined;
  } else if (Array.isArray(keys)) {
    candidates = [...(keys as readonly KeyObject[])];
    byKid = typeof kid === 'string' ? candidates.find((key) => credentialKeyId(key) === kid) : undefined;
  } else {
    throw new TypeError('keys must be a KeyObject, an array of KeyObjects or a Map of kid to KeyObject');
  }
  if (byKid !== undefined) return byKid;
  // PROTOCOLS.md 4.2 kid rule: with one key the kid is only a hint; with several it must pick one.
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return only;
  throw new JoseError('ERR_KEY_NOT_FOUND', 'no key matches the credential kid');
}

/**
 * Decrypts a payment credential (`3DS.data`, PROTOCOLS.md 4.2): checks `alg: "RSA1_5"` and
 * `enc: "A128GCM"`, picks the key by `kid` when several keys are given, decrypts with empty AAD
 * and parses the JSON plaintext. Throws {@link JoseError}.
 *
 * @example
 * ```ts
 * const { payload } = decryptCredential(response['3DS'].data, merchantPrivateKey);
 * payload.tokenPAN; // '4558386640000312'
 * ```
 */
export function decryptCredential(
  jwe: string,
  keys: CredentialKeys,
  opts: DecryptCredentialOptions = {},
): DecryptedCredential {
  const maxLength = opts.maxLength ?? DEFAULT_CREDENTIAL_MAX_LENGTH;
  const parsed = parseCompactJwe(jwe, maxLength);
  const key = pickKey(keys, parsed.header['kid']);
  const bytes = decryptCompactJwe(parsed, key, 'empty');
  const json = parseJson(bytes, maxLength);
  if (json === undefined || !isJsonObject(json.value)) {
    throw new JoseError('ERR_PAYLOAD_INVALID', 'credential plaintext is not a JSON object');
  }
  return {
    header: parsed.header as CredentialHeader,
    payload: json.value,
    plaintext: bytes.toString('utf8'),
  };
}
