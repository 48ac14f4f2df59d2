// SQL of the token service. Each table is declared once (core/rows.ts); every function takes the
// db handle (the database or a transaction).
import type { Queryable } from '../core/db.ts';
import { col, table } from '../core/rows.ts';

const tokens = table('tsp_tokens', {
  tokenRef: col.text('token_ref'),
  brand: col.oneOf('brand', ['VI', 'MC', 'AX', 'DS', 'UNKNOWN'] as const),
  tokenPanSealed: col.text('token_pan_sealed'),
  tokenPanHash: col.text('token_pan_hash'),
  tokenLast4: col.text('token_last4'),
  tokenExpMonth: col.number('token_exp_month'),
  tokenExpYear: col.number('token_exp_year'),
  fundingFingerprint: col.text('funding_fingerprint'),
  fundingLast4: col.nullable(col.text('funding_last4')),
  fundingExpMonth: col.nullable(col.number('funding_exp_month')),
  fundingExpYear: col.nullable(col.number('funding_exp_year')),
  paymentOutcome: col.nullable(
    col.oneOf('payment_outcome', ['INSUFFICIENT_FUNDS', 'PAYMENT_DECLINED'] as const),
  ),
  cardholderName: col.nullable(col.text('cardholder_name')),
  source: col.oneOf('source', ['ISSUER_BLOB', 'OPAQUE_BLOB', 'TEST_CARD'] as const),
  walletId: col.text('wallet_id'),
  deviceId: col.text('device_id'),
  status: col.oneOf('status', ['ACTIVE', 'SUSPENDED', 'DELETED'] as const),
  createdAt: col.number('created_at'),
  updatedAt: col.number('updated_at'),
});

/** A tsp_tokens row; the token PAN only sealed, the funding PAN only as fingerprint and last 4. */
export type TokenRow = ReturnType<(typeof tokens)['fromDb']>;
export type TokenStatus = TokenRow['status'];
export type TokenSource = TokenRow['source'];

const selectTokens = `SELECT ${tokens.selectList} FROM tsp_tokens`;

/**
 * Inserts a token unless it collides: with a live token of the same funding card in the same
 * wallet, or (astronomically rarely) with an existing token ref or token PAN. Returns whether
 * the row was written; the caller tells the two collisions apart.
 */
export async function insertToken(q: Queryable, t: TokenRow): Promise<boolean> {
  const rows = await tokens.insert(q, t, 'ON CONFLICT DO NOTHING RETURNING token_ref');
  return rows.length === 1;
}

/** The live (not deleted) token of a funding card in a wallet, if any. */
export async function findLiveTokenByFunding(
  q: Queryable,
  walletId: string,
  fundingFingerprint: string,
): Promise<TokenRow | undefined> {
  const rows = await q.query(
    `${selectTokens}
     WHERE wallet_id = $1 AND funding_fingerprint = $2 AND status <> 'DELETED'`,
    [walletId, fundingFingerprint],
  );
  return rows[0] ? tokens.fromDb(rows[0]) : undefined;
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
  const rows = await q.query(`${selectTokens} WHERE token_ref = $1`, [tokenRef]);
  return rows[0] ? tokens.fromDb(rows[0]) : undefined;
}

export async function getTokenByPanHash(q: Queryable, tokenPanHash: string): Promise<TokenRow | undefined> {
  const rows = await q.query(`${selectTokens} WHERE token_pan_hash = $1`, [tokenPanHash]);
  return rows[0] ? tokens.fromDb(rows[0]) : undefined;
}

/** Tokens of a wallet in issue order; deleted ones only when asked. */
export async function listTokens(
  q: Queryable,
  walletId: string,
  includeDeleted: boolean,
): Promise<TokenRow[]> {
  const rows = await q.query(
    `${selectTokens}
     WHERE wallet_id = $1 AND ($2::boolean OR status <> 'DELETED') ORDER BY seq`,
    [walletId, includeDeleted],
  );
  return rows.map(tokens.fromDb);
}

/** Moves a token from one of `from` to `to`; returns the updated row, or undefined when it was in no such state. */
export async function setTokenStatus(
  q: Queryable,
  tokenRef: string,
  from: readonly TokenStatus[],
  to: TokenStatus,
  now: number,
): Promise<TokenRow | undefined> {
  const rows = await q.query(
    `UPDATE tsp_tokens SET status = $3, updated_at = $4
     WHERE token_ref = $1 AND status = ANY($2::text[]) RETURNING ${tokens.selectList}`,
    [tokenRef, from, to, now],
  );
  return rows[0] ? tokens.fromDb(rows[0]) : undefined;
}

const cryptograms = table('tsp_cryptograms', {
  cryptogramHash: col.text('cryptogram_hash'),
  tokenRef: col.text('token_ref'),
  amountMinor: col.text('amount_minor'),
  currency: col.text('currency'),
  merchantRef: col.text('merchant_ref'),
  utc: col.number('utc'),
  createdAt: col.number('created_at'),
  usedAt: col.nullable(col.number('used_at')),
});

export type CryptogramRow = ReturnType<(typeof cryptograms)['fromDb']>;

export async function insertCryptogram(q: Queryable, c: CryptogramRow): Promise<void> {
  await cryptograms.insert(q, c, 'ON CONFLICT (cryptogram_hash) DO NOTHING');
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
