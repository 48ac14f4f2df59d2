// SQL of the token service. Every function takes the db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';
import type { PaymentDeclineOutcome, TokenBrand } from './card-numbers.ts';

export type TokenStatus = 'ACTIVE' | 'SUSPENDED' | 'DELETED';
export type TokenSource = 'ISSUER_BLOB' | 'OPAQUE_BLOB' | 'TEST_CARD';

/** A tsp_tokens row; the token PAN only sealed, the funding PAN only as fingerprint and last 4. */
export interface TokenRow {
  tokenRef: string;
  brand: TokenBrand;
  tokenPanSealed: string;
  tokenPanHash: string;
  tokenLast4: string;
  tokenExpMonth: number;
  tokenExpYear: number;
  fundingFingerprint: string;
  fundingLast4: string | null;
  fundingExpMonth: number | null;
  fundingExpYear: number | null;
  paymentOutcome: PaymentDeclineOutcome | null;
  cardholderName: string | null;
  source: TokenSource;
  walletId: string;
  deviceId: string;
  status: TokenStatus;
  createdAt: number;
  updatedAt: number;
}

interface DbTokenRow {
  token_ref: string;
  brand: TokenBrand;
  token_pan_sealed: string;
  token_pan_hash: string;
  token_last4: string;
  token_exp_month: number;
  token_exp_year: number;
  funding_fingerprint: string;
  funding_last4: string | null;
  funding_exp_month: number | null;
  funding_exp_year: number | null;
  payment_outcome: PaymentDeclineOutcome | null;
  cardholder_name: string | null;
  source: TokenSource;
  wallet_id: string;
  device_id: string;
  status: TokenStatus;
  created_at: number;
  updated_at: number;
}

const tokenColumns = `token_ref, brand, token_pan_sealed, token_pan_hash, token_last4, token_exp_month,
  token_exp_year, funding_fingerprint, funding_last4, funding_exp_month, funding_exp_year, payment_outcome,
  cardholder_name, source, wallet_id, device_id, status, created_at, updated_at`;

function toTokenRow(r: DbTokenRow): TokenRow {
  return {
    tokenRef: r.token_ref,
    brand: r.brand,
    tokenPanSealed: r.token_pan_sealed,
    tokenPanHash: r.token_pan_hash,
    tokenLast4: r.token_last4,
    tokenExpMonth: Number(r.token_exp_month),
    tokenExpYear: Number(r.token_exp_year),
    fundingFingerprint: r.funding_fingerprint,
    fundingLast4: r.funding_last4,
    fundingExpMonth: r.funding_exp_month === null ? null : Number(r.funding_exp_month),
    fundingExpYear: r.funding_exp_year === null ? null : Number(r.funding_exp_year),
    paymentOutcome: r.payment_outcome,
    cardholderName: r.cardholder_name,
    source: r.source,
    walletId: r.wallet_id,
    deviceId: r.device_id,
    status: r.status,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Inserts a token unless it collides: with a live token of the same funding card in the same
 * wallet, or (astronomically rarely) with an existing token ref or token PAN. Returns whether
 * the row was written; the caller tells the two collisions apart.
 */
export async function insertToken(q: Queryable, t: TokenRow): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO tsp_tokens (${tokenColumns})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT DO NOTHING RETURNING token_ref`,
    [
      t.tokenRef,
      t.brand,
      t.tokenPanSealed,
      t.tokenPanHash,
      t.tokenLast4,
      t.tokenExpMonth,
      t.tokenExpYear,
      t.fundingFingerprint,
      t.fundingLast4,
      t.fundingExpMonth,
      t.fundingExpYear,
      t.paymentOutcome,
      t.cardholderName,
      t.source,
      t.walletId,
      t.deviceId,
      t.status,
      t.createdAt,
      t.updatedAt,
    ],
  );
  return rows.length === 1;
}

/** The live (not deleted) token of a funding card in a wallet, if any. */
export async function findLiveTokenByFunding(
  q: Queryable,
  walletId: string,
  fundingFingerprint: string,
): Promise<TokenRow | undefined> {
  const rows = await q.query<DbTokenRow>(
    `SELECT ${tokenColumns} FROM tsp_tokens
     WHERE wallet_id = $1 AND funding_fingerprint = $2 AND status <> 'DELETED'`,
    [walletId, fundingFingerprint],
  );
  return rows[0] ? toTokenRow(rows[0]) : undefined;
}

/** Which of these fingerprints have a live token in the wallet. */
export async function liveFingerprints(
  q: Queryable,
  walletId: string,
  fingerprints: readonly string[],
): Promise<Set<string>> {
  const rows = await q.query<{ funding_fingerprint: string }>(
    `SELECT funding_fingerprint FROM tsp_tokens
     WHERE wallet_id = $1 AND status <> 'DELETED' AND funding_fingerprint = ANY($2::text[])`,
    [walletId, fingerprints],
  );
  return new Set(rows.map((r) => r.funding_fingerprint));
}

export async function getToken(q: Queryable, tokenRef: string): Promise<TokenRow | undefined> {
  const rows = await q.query<DbTokenRow>(`SELECT ${tokenColumns} FROM tsp_tokens WHERE token_ref = $1`, [
    tokenRef,
  ]);
  return rows[0] ? toTokenRow(rows[0]) : undefined;
}

export async function getTokenByPanHash(q: Queryable, tokenPanHash: string): Promise<TokenRow | undefined> {
  const rows = await q.query<DbTokenRow>(`SELECT ${tokenColumns} FROM tsp_tokens WHERE token_pan_hash = $1`, [
    tokenPanHash,
  ]);
  return rows[0] ? toTokenRow(rows[0]) : undefined;
}

/** Tokens of a wallet in issue order; deleted ones only when asked. */
export async function listTokens(
  q: Queryable,
  walletId: string,
  includeDeleted: boolean,
): Promise<TokenRow[]> {
  const rows = await q.query<DbTokenRow>(
    `SELECT ${tokenColumns} FROM tsp_tokens
     WHERE wallet_id = $1 AND ($2::boolean OR status <> 'DELETED') ORDER BY seq`,
    [walletId, includeDeleted],
  );
  return rows.map(toTokenRow);
}

/** Moves a token from one of `from` to `to`; returns the updated row, or undefined when it was in no such state. */
export async function setTokenStatus(
  q: Queryable,
  tokenRef: string,
  from: readonly TokenStatus[],
  to: TokenStatus,
  now: number,
): Promise<TokenRow | undefined> {
  const rows = await q.query<DbTokenRow>(
    `UPDATE tsp_tokens SET status = $3, updated_at = $4
     WHERE token_ref = $1 AND status = ANY($2::text[]) RETURNING ${tokenColumns}`,
    [tokenRef, from, to, now],
  );
  return rows[0] ? toTokenRow(rows[0]) : undefined;
}

export interface CryptogramRow {
  cryptogramHash: string;
  tokenRef: string;
  amountMinor: string;
  currency: string;
  merchantRef: string;
  utc: number;
  createdAt: number;
  usedAt: number | null;
}

export async function insertCryptogram(q: Queryable, c: CryptogramRow): Promise<void> {
  await q.query(
    `INSERT INTO tsp_cryptograms (cryptogram_hash, token_ref, amount_minor, currency, merchant_ref, utc, created_at, used_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (cryptogram_hash) DO NOTHING`,
    [c.cryptogramHash, c.tokenRef, c.amountMinor, c.currency, c.merchantRef, c.utc, c.createdAt, c.usedAt],
  );
}

/**
 * Marks a minted cryptogram used. Atomic: of two concurrent validations exactly one gets 'used';
 * the other sees 'replayed'. 'unknown' when it was never minted.
 */
export async function useCryptogram(
  q: Queryable,
  cryptogramHash: string,
  tokenRef: string,
  now: number,
): Promise<'used' | 'replayed' | 'unknown'> {
  const updated = await q.query(
    `UPDATE tsp_cryptograms SET used_at = $3
     WHERE cryptogram_hash = $1 AND token_ref = $2 AND used_at IS NULL RETURNING cryptogram_hash`,
    [cryptogramHash, tokenRef, now],
  );
  if (updated.length === 1) return 'used';
  const existing = await q.query(
    'SELECT 1 FROM tsp_cryptograms WHERE cryptogram_hash = $1 AND token_ref = $2',
    [cryptogramHash, tokenRef],
  );
  return existing.length === 1 ? 'replayed' : 'unknown';
}
