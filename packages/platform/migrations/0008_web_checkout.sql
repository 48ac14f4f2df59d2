-- Web Checkout (PROTOCOLS.md 4): transaction keys, transactions with their checkout session and
-- payment credential, payment-result notifications and health probes.

-- RSA-2048 key pairs the JS SDK encrypts transactionId/serviceId with (encInfo). One key per
-- rotation slot (slot = floor(now / rotation period)): new transactions use the current slot's
-- key; a key is kept until the last transaction that could use it has expired (retain_until).
CREATE TABLE checkout_keys (
  key_id TEXT PRIMARY KEY,
  slot BIGINT NOT NULL UNIQUE,
  public_key_pem TEXT NOT NULL,
  -- PKCS#8 PEM sealed with the master key, bound to 'checkout_keys:<key_id>'.
  private_key_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retain_until BIGINT NOT NULL
);

-- transaction_id: 22 lowercase hex (PROTOCOLS.md 4.1). status:
--   CREATED   made by POST /ops/v1/transactions
--   PENDING   an account was entered on the checkout page (or the wallet opened it): the wallet
--             shows the payment request
--   APPROVED  the wallet approved: reference_id and the credential exist
--   DECLINED  the wallet declined
--   CANCELED  the shopper canceled on the checkout page
CREATE TABLE checkout_transactions (
  transaction_id TEXT PRIMARY KEY CHECK (transaction_id ~ '^[0-9a-f]{22}$'),
  service_id TEXT NOT NULL REFERENCES checkout_services (service_id),
  key_id TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  order_number TEXT NOT NULL,
  recurring BOOLEAN NOT NULL,
  amount_option TEXT NOT NULL,
  currency TEXT NOT NULL,
  -- As sent (major units, decimal text) and in minor units (the credential's amount).
  amount_total TEXT NOT NULL,
  amount_minor TEXT NOT NULL,
  merchant_name TEXT NOT NULL,
  merchant_url TEXT,
  merchant_reference TEXT,
  allowed_brands JSONB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('CREATED', 'PENDING', 'APPROVED', 'DECLINED', 'CANCELED')),
  -- The checkout page's session: SHA-256 of its token, language, cancel URL, page origin.
  checkout_token_hash TEXT UNIQUE,
  country_code TEXT,
  cancel_url TEXT,
  page_origin TEXT,
  checkout_kind TEXT CHECK (checkout_kind IN ('pc', 'mobile')),
  -- The wallet account the payment request went to, and the device that answered.
  user_id TEXT,
  device_id TEXT,
  -- Set on approval.
  reference_id TEXT UNIQUE,
  token_ref TEXT,
  card_brand TEXT,
  card_last4 TEXT,
  -- The JWE (encrypted to the merchant key); cleared once credentials_expire_at has passed.
  credential_jwe TEXT,
  credentials_expire_at BIGINT,
  answered_at BIGINT,
  -- The last payment result the partner notified (CHARGED, CANCELED, ...).
  payment_status TEXT,
  payment_provider TEXT,
  payment_notified_at BIGINT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX checkout_transactions_service ON checkout_transactions (service_id, seq);
CREATE INDEX checkout_transactions_user ON checkout_transactions (user_id, seq);

CREATE TABLE checkout_notifications (
  notification_id TEXT PRIMARY KEY,
  transaction_id TEXT NOT NULL REFERENCES checkout_transactions (transaction_id),
  status TEXT NOT NULL,
  provider TEXT,
  partner_timestamp BIGINT,
  received_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX checkout_notifications_transaction ON checkout_notifications (transaction_id, seq);

-- Results of the platform probing a service's health URL (the partner side then calls back
-- HEAD /ops/v1/internal/health, recorded as callback_at when it arrives during the probe).
CREATE TABLE checkout_health_probes (
  probe_id TEXT PRIMARY KEY,
  service_id TEXT NOT NULL REFERENCES checkout_services (service_id),
  url TEXT NOT NULL,
  ok BOOLEAN NOT NULL,
  http_status INTEGER,
  detail TEXT NOT NULL,
  latency_ms INTEGER,
  callback_seen BOOLEAN NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  probed_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX checkout_health_probes_service ON checkout_health_probes (service_id, seq);
