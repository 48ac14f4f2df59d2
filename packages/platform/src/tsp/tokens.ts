// Device tokens: issued for a readable funding card after the network's checks (or for an opaque
// issuer blob), listed, and moved between ACTIVE, SUSPENDED and DELETED. The token PAN is shown
// to the caller once and stored only sealed; the funding PAN only as fingerprint and last 4.
import type { Queryable } from '../core/db.ts';
import { invalidInput, notFound, PlatformError } from '../core/errors.ts';
import { newHexId } from '../core/ids.ts';
import {
  detectBrand,
  generateTokenPan,
  isTokenPan,
  last4,
  luhnValid,
  magicOutcome,
  type TokenBrand,
} from './card-numbers.ts';
import { hmac, secretKey, type TspDeps, tspKeyNames } from './keys.ts';
import type { TspToken } from './schemas.ts';
import * as store from './store.ts';

/** Tokens expire this many years after issue (the month of issue). */
export const tokenLifetimeYears = 3;

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

/** A tokenization the network refuses. */
export function fail(reason: TokenizeFailureReason, message: string): TokenizeResult {
  return { ok: false, reason, message };
}

export function toTspToken(row: store.TokenRow): TspToken {
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
export function expiredAt(month: number, year: number): number {
  return Date.UTC(year, month, 1); // month is 1-based here, so this is the 1st of the next month
}

function tokenRefPrefix(brand: TokenBrand): string {
  return `TR${brand === 'UNKNOWN' ? 'UN' : brand}`;
}

export interface FundingCard {
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
export async function issueToken(
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

export interface ClearCard {
  pan: string;
  expMonth: number;
  expYear: number;
  cardholderName?: string | undefined;
}

/** The network's checks on a readable funding card, then the token. */
export async function tokenizeCard(
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
