// The simulated card-network token service (TSP): tokenizes issuerBlobs (Save to Pay) and test
// cards (Web Checkout sandbox) into device tokens, mints payment cryptograms and validates them
// for the demo acquirer. See docs/token-service.md.
//
// Other domains use it only through the functions exported here (ARCHITECTURE.md): the wallet
// asks for a token, the checkout flow for a cryptogram. The TSP knows nothing of the wallet.
//
// Failure style: outcomes a card network decides (declines, expired cards, bad cryptograms) are
// result unions (`{ok:false, reason}`, `{valid:false, reason}`); a caller's mistake (bad input,
// unknown token ref, a token that cannot pay) is a PlatformError.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';
import { DEFAULT_ISSUER_BLOB_MAX_LENGTH, decryptIssuerBlob, isJoseError } from '@cardport/jose';
import type { Clock } from '../core/clock.ts';
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newHexId } from '../core/ids.ts';
import type { KeyStore } from '../core/keystore.ts';
import {
  type CardBrand,
  detectBrand,
  generateTokenPan,
  isDocumentedTestPan,
  isTokenPan,
  last4,
  luhnValid,
  magicOutcome,
  type TokenBrand,
  testPans,
} from './card-numbers.ts';
import {
  type AddTestCardInput,
  addTestCardInput,
  type MintCryptogramInput,
  mintCryptogramInput,
  parseInput,
  type TokenizeIssuerBlobInput,
  type TspToken,
  tokenizeIssuerBlobInput,
  type ValidateCryptogramInput,
  validateCryptogramInput,
} from './schemas.ts';
import * as store from './store.ts';

export type {
  AddTestCardInput,
  MintCryptogramInput,
  TokenizeIssuerBlobInput,
  TspToken,
  ValidateCryptogramInput,
};

/** What the token service needs from the app context. */
export interface TspDeps {
  keys: KeyStore;
  clock: Clock;
}

/** KeyStore names of the TSP's keys. */
export const tspKeyNames = {
  /** RSA-2048: partners encrypt issuerBlobs to its public half. */
  issuerBlob: 'tsp-issuer-blob',
  /** 32-byte HMAC key: fingerprints of funding PANs and lookup hashes of token PANs. */
  panFingerprint: 'tsp-pan-fingerprint',
  /** 32-byte HMAC key: payment cryptograms. */
  cryptogram: 'tsp-cryptogram',
} as const;

/** How long a cryptogram stays valid after its `utc`, on the injected clock. */
export const cryptogramLifetimeMs = 10 * 60_000;
/** A cryptogram stamped later than now by more than this is refused too. */
export const cryptogramMaxSkewMs = 60_000;
/** Tokens expire this many years after issue (the month of issue). */
export const tokenLifetimeYears = 3;

/**
 * ECI per brand, as real Samsung Pay credentials carry it (PROTOCOLS.md 4.2 and the vectors):
 * Visa "05" (older ones "07"), Mastercard "5". American Express and Discover: ours, "05".
 */
export const eciIndicators: Record<CardBrand, string> = { VI: '05', MC: '5', AX: '05', DS: '05' };

// ---------------------------------------------------------------------------------------------
// Keys

const generateRsa = promisify(generateKeyPair);

async function issuerBlobKey(q: Queryable, deps: TspDeps) {
  return deps.keys.getOrCreate(q, tspKeyNames.issuerBlob, async () => {
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
    return {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  });
}

/** A 32-byte secret kept (sealed) in the private-key slot of the key store. */
async function secretKey(q: Queryable, deps: TspDeps, name: string): Promise<Buffer> {
  const stored = await deps.keys.getOrCreate(q, name, () => ({
    privateKeyPem: randomBytes(32).toString('base64url'),
  }));
  if (!stored.privateKeyPem) throw new PlatformError('INTERNAL', `key ${name} has no secret`);
  return Buffer.from(stored.privateKeyPem, 'base64url');
}

/** The token service's public key as PEM (SPKI): what partners encrypt issuerBlobs to. */
export async function getTspPublicKeyPem(q: Queryable, deps: TspDeps): Promise<string> {
  const key = await issuerBlobKey(q, deps);
  if (!key.publicKeyPem) throw new PlatformError('INTERNAL', 'TSP key has no public half');
  return key.publicKeyPem;
}

/** The token service's public key, e.g. for `createIssuerBlob` in tests and demo partners. */
export async function getTspPublicKey(q: Queryable, deps: TspDeps): Promise<KeyObject> {
  return createPublicKey(await getTspPublicKeyPem(q, deps));
}

function hmac(key: Buffer, domain: string, value: string): string {
  return createHmac('sha256', key).update(`${domain}\n${value}`, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** A token as the wallet sees it; the token PAN itself is returned only when issued. */
export interface IssuedToken extends TspToken {
  /** The device PAN. Shown to the caller once; never logged, stored only sealed. */
  tokenPan: string;
}

export type TokenizeFailureReason =
  | 'CARD_ALREADY_PRESENT'
  | 'BINDING_MISMATCH'
  | 'INVALID_PAN'
  | 'CARD_EXPIRED'
  | 'DECLINED'
  | 'UNREADABLE_BLOB';

export type TokenizeResult =
  | { ok: true; token: IssuedToken }
  | { ok: false; reason: TokenizeFailureReason; message: string };

function fail(reason: TokenizeFailureReason, message: string): TokenizeResult {
  return { ok: false, reason, message };
}

function toTspToken(row: store.TokenRow): TspToken {
  return {
    tokenRef: row.tokenRef,
    brand: row.brand,
    tokenPanLast4: row.tokenLast4,
    tokenExpMonth: row.tokenExpMonth,
    tokenExpYear: row.tokenExpYear,
    fundingLast4: row.fundingLast4,
    fundingExpMonth: row.fundingExpMonth,
    fundingExpYear: row.fundingExpYear,
    cardholderName: row.cardholderName,
    source: row.source,
    deviceId: row.deviceId,
    walletId: row.walletId,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A card is valid through the last day of its expiry month (UTC). */
function expiredAt(month: number, year: number): number {
  return Date.UTC(year, month, 1); // month is 1-based here, so this is the 1st of the next month
}

function tokenRefPrefix(brand: TokenBrand): string {
  return `TR${brand === 'UNKNOWN' ? 'UN' : brand}`;
}

interface FundingCard {
  brand: TokenBrand;
  fingerprint: string;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
  paymentOutcome: store.TokenRow['paymentOutcome'];
  cardholderName: string | null;
  source: store.TokenSource;
}

/** Writes the token; CARD_ALREADY_PRESENT when the wallet holds a live token of that funding card. */
async function issueToken(
  q: Queryable,
  deps: TspDeps,
  funding: FundingCard,
  binding: { deviceId: string; walletId: string },
): Promise<TokenizeResult> {
  const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
  const now = deps.clock.now();
  const issued = new Date(now);
  // A token PAN or ref collision is astronomically rare but possible: draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const tokenRef = `${tokenRefPrefix(funding.brand)}${newHexId(14).toUpperCase()}`;
    const tokenPan = generateTokenPan(funding.brand);
    const row: store.TokenRow = {
      tokenRef,
      brand: funding.brand,
      tokenPanSealed: deps.keys.seal(tokenPan, `tsp_tokens:${tokenRef}`),
      tokenPanHash: hmac(fingerprintKey, 'token-pan', tokenPan),
      tokenLast4: last4(tokenPan),
      tokenExpMonth: issued.getUTCMonth() + 1,
      tokenExpYear: issued.getUTCFullYear() + tokenLifetimeYears,
      fundingFingerprint: funding.fingerprint,
      fundingLast4: funding.last4,
      fundingExpMonth: funding.expMonth,
      fundingExpYear: funding.expYear,
      paymentOutcome: funding.paymentOutcome,
      cardholderName: funding.cardholderName,
      source: funding.source,
      walletId: binding.walletId,
      deviceId: binding.deviceId,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    };
    if (await store.insertToken(q, row)) return { ok: true, token: { ...toTspToken(row), tokenPan } };
    if (await store.findLiveTokenByFunding(q, binding.walletId, funding.fingerprint)) {
      return fail('CARD_ALREADY_PRESENT', 'this card is already in this wallet');
    }
  }
  throw new PlatformError('INTERNAL', 'could not allocate a unique token');
}

interface ClearCard {
  pan: string;
  expMonth: number;
  expYear: number;
  cardholderName?: string | undefined;
}

/** The network's checks on a readable funding card, then the token. */
async function tokenizeCard(
  q: Queryable,
  deps: TspDeps,
  card: ClearCard,
  binding: { deviceId: string; walletId: string },
  source: store.TokenSource,
): Promise<TokenizeResult> {
  const { pan } = card;
  if (!/^[0-9]{12,19}$/.test(pan) || !luhnValid(pan)) {
    return fail('INVALID_PAN', 'the card number is not a valid PAN (12 to 19 digits passing the Luhn check)');
  }
  if (isTokenPan(pan)) return fail('INVALID_PAN', 'the card number is a token, not a funding card');
  const brand = detectBrand(pan);
  if (!brand) return fail('INVALID_PAN', 'the card number belongs to no supported network (VI, MC, AX, DS)');
  const magic = magicOutcome(pan);
  if (magic === 'TOKENIZATION_DECLINED') return fail('DECLINED', 'the issuer declined tokenization');
  if (magic === 'CARD_EXPIRED') return fail('CARD_EXPIRED', 'the issuer reports the card as expired');
  if (deps.clock.now() >= expiredAt(card.expMonth, card.expYear)) {
    return fail('CARD_EXPIRED', 'the card has expired');
  }
  const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
  return issueToken(
    q,
    deps,
    {
      brand,
      fingerprint: hmac(fingerprintKey, 'funding-pan', pan),
      last4: last4(pan),
      expMonth: card.expMonth,
      expYear: card.expYear,
      paymentOutcome: magic === 'INSUFFICIENT_FUNDS' || magic === 'PAYMENT_DECLINED' ? magic : null,
      cardholderName: card.cardholderName ?? null,
      source,
    },
    binding,
  );
}

/** Whether a blob claims the sandbox format (so failing to read it is an error, not an opaque blob). */
function claimsSandboxFormat(blob: string): boolean {
  const parts = blob.split('.');
  if (parts.length !== 5) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as unknown;
    return (
      typeof header === 'object' && header !== null && (header as { alg?: unknown }).alg === 'RSA-OAEP-256'
    );
  } catch {
    return false;
  }
}

/**
 * Tokenizes a Save to Pay issuerBlob into a device token in the wallet that initiated
 * (PROTOCOLS.md 1.6 step 5; the sandbox format is in docs/token-service.md). Checks, in order:
 * the blob decrypts (else UNREADABLE_BLOB, unless it is an opaque issuer-specific blob and the
 * partner opted in: then a card of network UNKNOWN), its binding to this device and wallet
 * (BINDING_MISMATCH), the PAN (INVALID_PAN), magic PANs (DECLINED, CARD_EXPIRED), the expiry on
 * the injected clock (CARD_EXPIRED), and that the wallet has no live token of that funding card
 * (CARD_ALREADY_PRESENT).
 *
 * @example
 *   const result = await tokenizeIssuerBlob(tx, ctx, { issuerBlob, deviceId, walletId, acceptOpaqueBlobs: false });
 *   if (!result.ok) return reportFailure(result.reason); // e.g. WA_PROVISION_FAILURE + CARD_ALREADY_PRESENT
 */
export async function tokenizeIssuerBlob(
  q: Queryable,
  deps: TspDeps,
  input: TokenizeIssuerBlobInput,
): Promise<TokenizeResult> {
  const parsed = parseInput(tokenizeIssuerBlobInput, input, 'tokenization request');
  const blob = parsed.issuerBlob.trim();
  const binding = { deviceId: parsed.deviceId, walletId: parsed.walletId };
  if (blob.length === 0) return fail('UNREADABLE_BLOB', 'the issuerBlob is empty');
  if (blob.length > DEFAULT_ISSUER_BLOB_MAX_LENGTH) {
    return fail('UNREADABLE_BLOB', `the issuerBlob exceeds ${DEFAULT_ISSUER_BLOB_MAX_LENGTH} characters`);
  }
  const key = await issuerBlobKey(q, deps);
  if (!key.privateKeyPem) throw new PlatformError('INTERNAL', 'TSP key has no private half');
  let payload: ReturnType<typeof decryptIssuerBlob>['payload'];
  try {
    payload = decryptIssuerBlob(blob, createPrivateKey(key.privateKeyPem)).payload;
  } catch (err) {
    if (!isJoseError(err)) throw err;
    if (claimsSandboxFormat(blob)) {
      return fail(
        'UNREADABLE_BLOB',
        err.code === 'ERR_PAYLOAD_INVALID'
          ? `the issuerBlob decrypts but its card is malformed: ${err.message}`
          : 'the issuerBlob does not decrypt with the token service key (encrypted to another key, or damaged)',
      );
    }
    if (!parsed.acceptOpaqueBlobs) {
      return fail(
        'UNREADABLE_BLOB',
        'the issuerBlob is not in the sandbox format and the partner has not opted in to opaque blobs',
      );
    }
    const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
    // An issuer-specific blob: no PAN, expiry or binding to check; the same blob twice is one card.
    return issueToken(
      q,
      deps,
      {
        brand: 'UNKNOWN',
        fingerprint: hmac(fingerprintKey, 'opaque-blob', blob),
        last4: null,
        expMonth: null,
        expYear: null,
        paymentOutcome: null,
        cardholderName: parsed.cardholderHint ?? null,
        source: 'OPAQUE_BLOB',
      },
      binding,
    );
  }
  if (payload.deviceId !== binding.deviceId || payload.walletId !== binding.walletId) {
    return fail('BINDING_MISMATCH', 'the issuerBlob is bound to another device or wallet');
  }
  return tokenizeCard(
    q,
    deps,
    { ...payload, cardholderName: payload.cardholderName ?? parsed.cardholderHint },
    binding,
    'ISSUER_BLOB',
  );
}

/**
 * Adds a sandbox test card straight into a wallet (Web Checkout sandbox: the tester's "add a test
 * card"). Without `pan`, the brand's first documented test PAN not yet in this wallet; with
 * `pan`, one of the documented test or magic PANs of that brand (magic ones force their failure).
 * Expiry defaults to December, three years ahead. Then the same checks as a tokenization.
 */
export async function addTestCard(
  q: Queryable,
  deps: TspDeps,
  input: AddTestCardInput,
): Promise<TokenizeResult> {
  const parsed = parseInput(addTestCardInput, input, 'test card');
  const brand: CardBrand = parsed.brand;
  let pan = parsed.pan;
  if (pan !== undefined) {
    if (!isDocumentedTestPan(pan)) {
      throw invalidInput('only the documented test and magic PANs can be added as test cards', [
        { field: 'pan', reason: 'not a documented test PAN (see docs/token-service.md)' },
      ]);
    }
    if (detectBrand(pan) !== brand) {
      throw invalidInput(`that test PAN is not a ${brand} card`, [
        { field: 'pan', reason: `not a ${brand} PAN` },
      ]);
    }
  } else {
    const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
    const candidates = testPans[brand].map((p) => ({
      pan: p,
      fingerprint: hmac(fingerprintKey, 'funding-pan', p),
    }));
    const taken = await store.liveFingerprints(
      q,
      parsed.walletId,
      candidates.map((c) => c.fingerprint),
    );
    pan = candidates.find((c) => !taken.has(c.fingerprint))?.pan;
    if (pan === undefined) {
      return fail('CARD_ALREADY_PRESENT', `every ${brand} test card is already in this wallet`);
    }
  }
  const year = new Date(deps.clock.now()).getUTCFullYear();
  return tokenizeCard(
    q,
    deps,
    {
      pan,
      expMonth: parsed.expMonth ?? 12,
      expYear: parsed.expYear ?? year + 3,
      cardholderName: parsed.cardholderName,
    },
    { deviceId: parsed.deviceId, walletId: parsed.walletId },
    'TEST_CARD',
  );
}

/** Tokens of a wallet, in issue order; deleted ones only with `includeDeleted`. */
export async function listTokens(
  q: Queryable,
  input: { walletId: string; includeDeleted?: boolean },
): Promise<TspToken[]> {
  if (typeof input.walletId !== 'string' || input.walletId === '') {
    throw invalidInput('walletId is required', [{ field: 'walletId', reason: 'required' }]);
  }
  return (await store.listTokens(q, input.walletId, input.includeDeleted ?? false)).map(toTspToken);
}

/** One token by its reference; undefined when there is none. */
export async function getToken(q: Queryable, tokenRef: string): Promise<TspToken | undefined> {
  const row = await store.getToken(q, tokenRef);
  return row ? toTspToken(row) : undefined;
}

async function changeStatus(
  q: Queryable,
  deps: TspDeps,
  tokenRef: string,
  from: readonly store.TokenStatus[],
  to: store.TokenStatus,
): Promise<TspToken> {
  const current = await store.getToken(q, tokenRef);
  if (!current) throw notFound('token');
  if (current.status === to) return toTspToken(current);
  const updated = await store.setTokenStatus(q, tokenRef, from, to, deps.clock.now());
  if (!updated) {
    throw new PlatformError(
      'CONFLICT',
      `a ${current.status.toLowerCase()} token cannot become ${to.toLowerCase()}`,
    );
  }
  return toTspToken(updated);
}

/** Suspends an active token: it cannot mint cryptograms, and its minted ones are declined. Idempotent. */
export function suspendToken(q: Queryable, deps: TspDeps, tokenRef: string): Promise<TspToken> {
  return changeStatus(q, deps, tokenRef, ['ACTIVE'], 'SUSPENDED');
}

/** Makes a suspended token active again. Idempotent. */
export function resumeToken(q: Queryable, deps: TspDeps, tokenRef: string): Promise<TspToken> {
  return changeStatus(q, deps, tokenRef, ['SUSPENDED'], 'ACTIVE');
}

/** Deletes a token (the card left the wallet): the funding card can be tokenized into it again. Idempotent. */
export function deleteToken(q: Queryable, deps: TspDeps, tokenRef: string): Promise<TspToken> {
  return changeStatus(q, deps, tokenRef, ['ACTIVE', 'SUSPENDED'], 'DELETED');
}

// ---------------------------------------------------------------------------------------------
// Cryptograms

/** What the checkout flow puts into the payment credential (PROTOCOLS.md 4.2). */
export interface PaymentCryptogram {
  tokenRef: string;
  brand: CardBrand;
  /** The credential's `tokenPAN`. Never logged. */
  tokenPan: string;
  /** MMYY, the credential's `tokenPanExpiration`. */
  tokenPanExpiration: string;
  /** Base64 of 20 bytes (like a Visa TAVV or a Mastercard UCAF value). */
  cryptogram: string;
  /** The credential's `eci_indicator` for this brand (see {@link eciIndicators}). */
  eciIndicator: string;
  /** Last 4 of the funding PAN: Web Checkout's `card_last4digits`. */
  fundingLast4: string;
  /** Canonical minor units (no leading zeros), as bound into the cryptogram. */
  amountMinor: string;
  currency: string;
  merchantRef: string;
  /** The payment time bound into the cryptogram: the credential's `utc`. */
  utc: number;
}

function expiration(month: number, year: number): string {
  return `${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}`;
}

const nonceBytes = 8;
const macBytes = 12;

/**
 * 20 bytes, like a TAVV or UCAF value: an 8-byte random nonce (so two payments never share a
 * cryptogram) and 12 bytes of HMAC-SHA256 over the nonce and everything the payment is bound to.
 */
function computeCryptogram(
  key: Buffer,
  c: { tokenRef: string; amountMinor: string; currency: string; merchantRef: string; utc: number },
  nonce: Buffer,
): Buffer {
  // JSON of an array: an unambiguous encoding whatever characters the merchant ref holds.
  const message = JSON.stringify([
    'v1',
    nonce.toString('hex'),
    c.tokenRef,
    c.amountMinor,
    c.currency,
    c.merchantRef,
    c.utc,
  ]);
  const mac = createHmac('sha256', key).update(message, 'utf8').digest().subarray(0, macBytes);
  return Buffer.concat([nonce, mac]);
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Mints the payment data for one payment with an active token: token PAN, its expiry, a
 * single-use cryptogram bound to the token, amount, currency, merchant and time, and the brand's
 * ECI. Throws NOT_FOUND for an unknown token and CONFLICT for one that cannot pay (suspended,
 * deleted, expired, or of an unknown network).
 *
 * @example
 *   const c = await mintCryptogram(tx, ctx, { tokenRef, amountMinor: '9876', currency: 'USD',
 *     merchantRef: serviceId, at: ctx.clock.now() });
 *   encryptCredential({ amount: c.amountMinor, currency_code: c.currency, utc: String(c.utc),
 *     eci_indicator: c.eciIndicator, tokenPAN: c.tokenPan, tokenPanExpiration: c.tokenPanExpiration,
 *     cryptogram: c.cryptogram }, merchantKey);
 */
export async function mintCryptogram(
  q: Queryable,
  deps: TspDeps,
  input: MintCryptogramInput,
): Promise<PaymentCryptogram> {
  const parsed = parseInput(mintCryptogramInput, input, 'cryptogram request');
  const token = await store.getToken(q, parsed.tokenRef);
  if (!token || token.status === 'DELETED') throw notFound('token');
  if (token.status !== 'ACTIVE') throw new PlatformError('CONFLICT', 'the token is suspended and cannot pay');
  if (token.brand === 'UNKNOWN' || token.fundingLast4 === null) {
    throw new PlatformError('CONFLICT', 'a token of an unknown network cannot pay through the sandbox');
  }
  const now = deps.clock.now();
  if (now >= expiredAt(token.tokenExpMonth, token.tokenExpYear)) {
    throw new PlatformError('CONFLICT', 'the token has expired');
  }
  const key = await secretKey(q, deps, tspKeyNames.cryptogram);
  const bound = {
    tokenRef: token.tokenRef,
    amountMinor: parsed.amountMinor,
    currency: parsed.currency,
    merchantRef: parsed.merchantRef,
    utc: parsed.at,
  };
  const bytes = computeCryptogram(key, bound, randomBytes(nonceBytes));
  await store.insertCryptogram(q, {
    ...bound,
    cryptogramHash: sha256Hex(bytes),
    createdAt: now,
    usedAt: null,
  });
  return {
    ...bound,
    brand: token.brand,
    tokenPan: deps.keys.unseal(token.tokenPanSealed, `tsp_tokens:${token.tokenRef}`).toString('utf8'),
    tokenPanExpiration: expiration(token.tokenExpMonth, token.tokenExpYear),
    cryptogram: bytes.toString('base64'),
    eciIndicator: eciIndicators[token.brand],
    fundingLast4: token.fundingLast4,
  };
}

export type CryptogramFailureReason =
  | 'UNKNOWN_TOKEN'
  | 'CRYPTOGRAM_MISMATCH'
  | 'EXPIRED'
  | 'REPLAYED'
  | 'DECLINED';
export type DeclineCode = 'INSUFFICIENT_FUNDS' | 'DO_NOT_HONOR' | 'TOKEN_SUSPENDED';

export type CryptogramValidation =
  | { valid: true; tokenRef: string; brand: TokenBrand; fundingLast4: string }
  | {
      valid: false;
      reason: CryptogramFailureReason;
      message: string;
      declineCode?: DeclineCode;
      brand?: TokenBrand;
      fundingLast4?: string;
    };

/**
 * Validates a payment cryptogram for the acquirer: the token PAN must be a live token, the
 * expiry and cryptogram must match what was minted for exactly this amount, currency, merchant
 * and time, the time must lie within {@link cryptogramLifetimeMs} of the injected clock, and the
 * cryptogram must not have been used before. A valid cryptogram is used up, even when the
 * payment is then declined (suspended token, or a magic PAN's forced decline).
 */
export async function validateCryptogram(
  q: Queryable,
  deps: TspDeps,
  input: ValidateCryptogramInput,
): Promise<CryptogramValidation> {
  const parsed = parseInput(validateCryptogramInput, input, 'cryptogram validation request');
  const fingerprintKey = await secretKey(q, deps, tspKeyNames.panFingerprint);
  const token = await store.getTokenByPanHash(q, hmac(fingerprintKey, 'token-pan', parsed.tokenPan));
  if (!token || token.status === 'DELETED') {
    return { valid: false, reason: 'UNKNOWN_TOKEN', message: 'no live token has this token PAN' };
  }
  const seen = { brand: token.brand, ...(token.fundingLast4 ? { fundingLast4: token.fundingLast4 } : {}) };
  const mismatch = {
    valid: false,
    reason: 'CRYPTOGRAM_MISMATCH',
    message: 'the cryptogram does not match this token, amount, currency, merchant and time',
    ...seen,
  } as const;
  if (parsed.tokenPanExpiration !== expiration(token.tokenExpMonth, token.tokenExpYear)) return mismatch;
  const key = await secretKey(q, deps, tspKeyNames.cryptogram);
  const given = Buffer.from(parsed.cryptogram, 'base64');
  if (given.length !== nonceBytes + macBytes) return mismatch;
  const expected = computeCryptogram(
    key,
    {
      tokenRef: token.tokenRef,
      amountMinor: parsed.amountMinor,
      currency: parsed.currency,
      merchantRef: parsed.merchantRef,
      utc: parsed.utc,
    },
    given.subarray(0, nonceBytes),
  );
  if (!timingSafeEqual(given, expected)) return mismatch;
  const now = deps.clock.now();
  if (now - parsed.utc > cryptogramLifetimeMs || parsed.utc - now > cryptogramMaxSkewMs) {
    return {
      valid: false,
      reason: 'EXPIRED',
      message: 'the cryptogram is outside its validity window',
      ...seen,
    };
  }
  const use = await store.useCryptogram(q, sha256Hex(expected), token.tokenRef, now);
  if (use === 'replayed') {
    return { valid: false, reason: 'REPLAYED', message: 'the cryptogram has already been used', ...seen };
  }
  if (use === 'unknown') return mismatch;
  if (token.status === 'SUSPENDED') {
    return {
      valid: false,
      reason: 'DECLINED',
      declineCode: 'TOKEN_SUSPENDED',
      message: 'the token is suspended',
      ...seen,
    };
  }
  if (token.paymentOutcome === 'INSUFFICIENT_FUNDS') {
    return {
      valid: false,
      reason: 'DECLINED',
      declineCode: 'INSUFFICIENT_FUNDS',
      message: 'insufficient funds',
      ...seen,
    };
  }
  if (token.paymentOutcome === 'PAYMENT_DECLINED') {
    return {
      valid: false,
      reason: 'DECLINED',
      declineCode: 'DO_NOT_HONOR',
      message: 'the issuer declined the payment',
      ...seen,
    };
  }
  if (!token.fundingLast4) return mismatch;
  return { valid: true, tokenRef: token.tokenRef, brand: token.brand, fundingLast4: token.fundingLast4 };
}
