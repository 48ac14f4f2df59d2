// Payment cryptograms: minted for one payment with an active token (PROTOCOLS.md 4.2), bound to
// token, amount, currency, merchant and time, and validated once for the demo acquirer.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import { notFound, PlatformError } from '../core/errors.ts';
import type { CardBrand, TokenBrand } from './card-numbers.ts';
import { hmac, secretKey, type TspDeps, tspKeyNames } from './keys.ts';
import {
  type MintCryptogramInput,
  mintCryptogramInput,
  parseInput,
  type ValidateCryptogramInput,
  validateCryptogramInput,
} from './schemas.ts';
import * as store from './store.ts';
import { expiredAt } from './tokens.ts';

/** How long a cryptogram stays valid after its `utc`, on the injected clock. */
export const cryptogramLifetimeMs = 10 * 60_000;
/** A cryptogram stamped later than now by more than this is refused too. */
export const cryptogramMaxSkewMs = 60_000;
/**
 * ECI per brand, as real Samsung Pay credentials carry it (PROTOCOLS.md 4.2 and the vectors):
 * Visa "05" (older ones "07"), Mastercard "5". American Express and Discover: ours, "05".
 */
export const eciIndicators: Record<CardBrand, string> = { VI: '05', MC: '5', AX: '05', DS: '05' };

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
