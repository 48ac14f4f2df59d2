// The Cardport sandbox issuerBlob (PROTOCOLS.md 1.6 step 5: the real format is issuer-specific,
// so this one is ours, documented in docs/token-service.md): a compact JWE with
// `{"alg":"RSA-OAEP-256","enc":"A256GCM"}` (plus an optional `kid`) to the token service's public
// key, standard RFC 7516 AAD, whose plaintext is the card bound to one device and one wallet.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { JoseError } from './errors.ts';
import { encodeBase64url } from './internal/base64url.ts';
import { decodePart, decodeProtectedHeader, splitCompact } from './internal/compact.ts';
import { parseJsonObject } from './internal/json.ts';
import { assertRsaKey, modulusBytes } from './internal/keys.ts';

/** PROTOCOLS.md 1.6: the WA_READY answer carries an issuerBlob of at most 65536 characters. */
export const DEFAULT_ISSUER_BLOB_MAX_LENGTH = 65_536;

const ALG = 'RSA-OAEP-256';
const ENC = 'A256GCM';
const CEK_BYTES = 32; // A256GCM
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_TEXT = 256;

/** The funding card inside an issuerBlob. */
export interface IssuerBlobCard {
  /** The funding PAN: 12 to 19 digits, no spaces. */
  readonly pan: string;
  /** 1 to 12. */
  readonly expMonth: number;
  /** Four digits, e.g. 2029. */
  readonly expYear: number;
  readonly cardholderName?: string;
}

/** The device and wallet the blob is bound to (the seed's `device.id` and `wallet.id`). */
export interface IssuerBlobBinding {
  readonly deviceId: string;
  readonly walletId: string;
}

/** The decrypted plaintext of an issuerBlob. */
export interface IssuerBlobPayload extends IssuerBlobCard, IssuerBlobBinding {}

/** Protected header of an issuerBlob. */
export interface IssuerBlobHeader {
  readonly alg: 'RSA-OAEP-256';
  readonly enc: 'A256GCM';
  /** Optional hint naming the token service key; the sandbox has one key and ignores it. */
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/** Options of {@link createIssuerBlob}. */
export interface CreateIssuerBlobOptions {
  /** Written into the protected header as `kid`. */
  readonly kid?: string;
}

/** Options of {@link decryptIssuerBlob}. */
export interface DecryptIssuerBlobOptions {
  /** Longest blob accepted, in characters. Defaults to {@link DEFAULT_ISSUER_BLOB_MAX_LENGTH}. */
  readonly maxLength?: number;
}

/** Result of {@link decryptIssuerBlob}. */
export interface DecryptedIssuerBlob {
  readonly header: IssuerBlobHeader;
  readonly payload: IssuerBlobPayload;
}

function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function checkCardArguments(card: IssuerBlobCard, binding: IssuerBlobBinding): void {
  if (typeof card !== 'object' || card === null) throw new TypeError('card must be an object');
  if (typeof card.pan !== 'string' || !/^[0-9]{12,19}$/.test(card.pan)) {
    throw new TypeError('card.pan must be 12 to 19 digits');
  }
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) {
    throw new TypeError('card.expMonth must be an integer from 1 to 12');
  }
  if (!Number.isInteger(card.expYear) || card.expYear < 1000 || card.expYear > 9999) {
    throw new TypeError('card.expYear must be a four-digit year');
  }
  if (card.cardholderName !== undefined && !isText(card.cardholderName)) {
    throw new TypeError(`card.cardholderName must be a string of 1 to ${MAX_TEXT} characters`);
  }
  if (typeof binding !== 'object' || binding === null) throw new TypeError('binding must be an object');
  if (!isText(binding.deviceId)) throw new TypeError('binding.deviceId must be a non-empty string');
  if (!isText(binding.walletId)) throw new TypeError('binding.walletId must be a non-empty string');
}

/**
 * Creates a sandbox issuerBlob: the card and its device/wallet binding, encrypted to the token
 * service's public key (served by Cardport as PEM at `/tsp/v1/public-key.pem`). A partner answers
 * `WA_READY` with it as `card.data.encryptedData`.
 *
 * @example
 * ```ts
 * const tspPublicKey = createPublicKey(await (await fetch(`${base}/tsp/v1/public-key.pem`)).text());
 * const issuerBlob = createIssuerBlob(
 *   { pan: '4111111111111111', expMonth: 12, expYear: 2029, cardholderName: 'A. Holder' },
 *   { deviceId: event.device.id, walletId: event.wallet.id },
 *   tspPublicKey,
 * );
 * ```
 */
export function createIssuerBlob(
  card: IssuerBlobCard,
  binding: IssuerBlobBinding,
  tspPublicKey: KeyObject,
  opts: CreateIssuerBlobOptions = {},
): string {
  checkCardArguments(card, binding);
  assertRsaKey(tspPublicKey, 'public', 'tspPublicKey');
  if (opts.kid !== undefined && !isText(opts.kid)) throw new TypeError('kid must be a non-empty string');
  const header: Record<string, unknown> = { alg: ALG, enc: ENC };
  if (opts.kid !== undefined) header['kid'] = opts.kid;
  // Fixed member order, so partners in other languages can produce byte-identical plaintexts.
  const payload: Record<string, unknown> = {
    pan: card.pan,
    expMonth: card.expMonth,
    expYear: card.expYear,
    ...(card.cardholderName !== undefined ? { cardholderName: card.cardholderName } : {}),
    deviceId: binding.deviceId,
    walletId: binding.walletId,
  };
  const cek = randomBytes(CEK_BYTES);
  const iv = randomBytes(IV_BYTES);
  const encryptedKey = publicEncrypt(
    { key: tspPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    cek,
  );
  const headerPart = encodeBase64url(JSON.stringify(header));
  const cipher = createCipheriv('aes-256-gcm', cek, iv, { authTagLength: TAG_BYTES });
  // RFC 7516 §5.1 step 14: the AAD is the ASCII of the encoded protected header.
  cipher.setAAD(Buffer.from(headerPart, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  cek.fill(0);
  return [headerPart, encryptedKey, iv, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : encodeBase64url(part)))
    .join('.');
}

/** Unwraps the CEK; any failure yields a random CEK so it surfaces only at the tag check (RFC 7516 §11.5). */
function unwrapOaep(encryptedKey: Buffer, privateKey: KeyObject): Buffer {
  const substitute = randomBytes(CEK_BYTES);
  if (encryptedKey.length !== modulusBytes(privateKey)) return substitute;
  try {
    const cek = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      encryptedKey,
    );
    if (cek.length !== CEK_BYTES) return substitute;
    substitute.fill(0);
    return cek;
  } catch {
    return substitute;
  }
}

/** Accepts an integer or a string of digits (partners in other languages may send "07"). */
function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^[0-9]{1,4}$/.test(value)) return Number(value);
  return undefined;
}

function payloadInvalid(message: string): JoseError {
  return new JoseError('ERR_PAYLOAD_INVALID', message);
}

/**
 * Checks the plaintext's members and types. The PAN is only required to be a string here: its
 * digits, length and Luhn check are the token service's to judge (it answers INVALID_PAN).
 */
function checkPayload(object: Record<string, unknown>): IssuerBlobPayload {
  const { pan, cardholderName, deviceId, walletId } = object;
  if (!isText(pan, 64)) throw payloadInvalid('issuerBlob pan must be a non-empty string');
  const expMonth = toInteger(object['expMonth']);
  if (expMonth === undefined || expMonth < 1 || expMonth > 12) {
    throw payloadInvalid('issuerBlob expMonth must be an integer from 1 to 12');
  }
  let expYear = toInteger(object['expYear']);
  // A two-digit year (as printed on cards) means 20YY.
  if (expYear !== undefined && expYear < 100) expYear += 2000;
  if (expYear === undefined || expYear < 1000 || expYear > 9999) {
    throw payloadInvalid('issuerBlob expYear must be a four-digit year');
  }
  if (cardholderName !== undefined && cardholderName !== null && !isText(cardholderName)) {
    throw payloadInvalid(`issuerBlob cardholderName must be a string of 1 to ${MAX_TEXT} characters`);
  }
  if (!isText(deviceId)) throw payloadInvalid('issuerBlob deviceId must be a non-empty string');
  if (!isText(walletId)) throw payloadInvalid('issuerBlob walletId must be a non-empty string');
  return {
    pan,
    expMonth,
    expYear,
    ...(typeof cardholderName === 'string' ? { cardholderName } : {}),
    deviceId,
    walletId,
  };
}

/**
 * Decrypts a sandbox issuerBlob with the token service's private key and checks its payload.
 * Only `alg: "RSA-OAEP-256"` with `enc: "A256GCM"` is accepted, with RFC 7516 AAD. A wrong key
 * and any tampering end in ERR_JWE_DECRYPTION_FAILED. Throws {@link JoseError}.
 *
 * @example
 * ```ts
 * const { payload } = decryptIssuerBlob(issuerBlob, tspPrivateKey);
 * if (payload.walletId !== walletId) return { ok: false, reason: 'BINDING_MISMATCH' };
 * ```
 */
export function decryptIssuerBlob(
  jwe: string,
  tspPrivateKey: KeyObject,
  opts: DecryptIssuerBlobOptions = {},
): DecryptedIssuerBlob {
  assertRsaKey(tspPrivateKey, 'private', 'tspPrivateKey');
  const maxLength = opts.maxLength ?? DEFAULT_ISSUER_BLOB_MAX_LENGTH;
  const [headerPart, keyPart, ivPart, ciphertextPart, tagPart] = splitCompact(
    jwe,
    5,
    'ERR_JWE_INVALID',
    maxLength,
  );
  const header = decodeProtectedHeader(headerPart, 'ERR_JWE_INVALID');
  if (header['alg'] !== ALG) {
    throw new JoseError('ERR_JWE_ALG_NOT_ALLOWED', `issuerBlob alg must be ${ALG}`, { member: 'alg' });
  }
  if (header['enc'] !== ENC) {
    throw new JoseError('ERR_JWE_ALG_NOT_ALLOWED', `issuerBlob enc must be ${ENC}`, { member: 'enc' });
  }
  if ('zip' in header) {
    throw new JoseError('ERR_HEADER_INVALID', 'protected header member zip is not supported', {
      member: 'zip',
    });
  }
  if (header['kid'] !== undefined && !isText(header['kid'])) {
    throw new JoseError('ERR_HEADER_INVALID', 'protected header member kid must be a non-empty string', {
      member: 'kid',
    });
  }
  const encryptedKey = decodePart(keyPart, 'ERR_JWE_INVALID', 'JWE encrypted key');
  const iv = decodePart(ivPart, 'ERR_JWE_INVALID', 'JWE initialization vector');
  const ciphertext = decodePart(ciphertextPart, 'ERR_JWE_INVALID', 'JWE ciphertext');
  const tag = decodePart(tagPart, 'ERR_JWE_INVALID', 'JWE authentication tag');
  if (encryptedKey.length === 0) throw new JoseError('ERR_JWE_INVALID', 'JWE encrypted key is empty');
  if (iv.length !== IV_BYTES) throw new JoseError('ERR_JWE_INVALID', `JWE IV must be ${IV_BYTES} bytes`);
  // Node's setAuthTag would accept a truncated tag; only the full 16 bytes are allowed.
  if (tag.length !== TAG_BYTES) throw new JoseError('ERR_JWE_INVALID', `JWE tag must be ${TAG_BYTES} bytes`);

  const cek = unwrapOaep(encryptedKey, tspPrivateKey);
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cek, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(headerPart, 'ascii'));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new JoseError('ERR_JWE_DECRYPTION_FAILED', 'JWE decryption failed');
  } finally {
    cek.fill(0);
  }
  const object = parseJsonObject(plaintext, maxLength);
  plaintext.fill(0);
  if (object === undefined) throw payloadInvalid('issuerBlob plaintext is not a JSON object');
  return { header: header as IssuerBlobHeader, payload: checkPayload(object) };
}
