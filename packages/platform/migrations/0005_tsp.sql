-- The simulated card-network token service (TSP): device tokens issued into wallets, and the
-- cryptograms minted for payments. No PAN is stored in clear: the funding PAN is kept only as a
-- keyed hash (fingerprint) plus its last 4; the token PAN is sealed with the master key and
-- looked up through its own keyed hash.
CREATE TABLE tsp_tokens (
  token_ref TEXT PRIMARY KEY,
  brand TEXT NOT NULL CHECK (brand IN ('VI', 'MC', 'AX', 'DS', 'UNKNOWN')),
  token_pan_sealed TEXT NOT NULL,
  token_pan_hash TEXT NOT NULL UNIQUE,
  token_last4 TEXT NOT NULL CHECK (token_last4 ~ '^[0-9]{4}$'),
  token_exp_month INTEGER NOT NULL CHECK (token_exp_month BETWEEN 1 AND 12),
  token_exp_year INTEGER NOT NULL,
  -- HMAC-SHA256 of the funding PAN (or of an opaque blob) under the TSP fingerprint key.
  funding_fingerprint TEXT NOT NULL,
  -- Null for opaque blobs, whose funding card the sandbox cannot read.
  funding_last4 TEXT CHECK (funding_last4 ~ '^[0-9]{4}$'),
  funding_exp_month INTEGER CHECK (funding_exp_month BETWEEN 1 AND 12),
  funding_exp_year INTEGER,
  -- A magic PAN's forced payment outcome (INSUFFICIENT_FUNDS, PAYMENT_DECLINED), else null.
  payment_outcome TEXT CHECK (payment_outcome IN ('INSUFFICIENT_FUNDS', 'PAYMENT_DECLINED')),
  cardholder_name TEXT,
  source TEXT NOT NULL CHECK (source IN ('ISSUER_BLOB', 'OPAQUE_BLOB', 'TEST_CARD')),
  wallet_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'DELETED')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  -- Insertion order: lists stay stable when several rows share a clock millisecond.
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
-- One live token per funding card per wallet: the database settles concurrent tokenizations.
CREATE UNIQUE INDEX tsp_tokens_funding_in_wallet ON tsp_tokens (wallet_id, funding_fingerprint)
  WHERE status <> 'DELETED';
CREATE INDEX tsp_tokens_wallet ON tsp_tokens (wallet_id, seq);

-- Every minted cryptogram, by the SHA-256 of its bytes: single use (used_at), and what it is bound to.
CREATE TABLE tsp_cryptograms (
  cryptogram_hash TEXT PRIMARY KEY,
  token_ref TEXT NOT NULL REFERENCES tsp_tokens (token_ref) ON DELETE CASCADE,
  amount_minor TEXT NOT NULL,
  currency TEXT NOT NULL,
  merchant_ref TEXT NOT NULL,
  utc BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX tsp_cryptograms_token ON tsp_cryptograms (token_ref);
