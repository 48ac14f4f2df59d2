-- The virtual wallet: sandbox Samsung accounts, their devices (one wallet id each), browser and
-- API sessions, and the items (payment cards, passes) the flow domains put into a wallet.

-- A sandbox account. user_id has the seed's shape (22 base62 characters, e.g. RcSm3gWJT9mXgFWy5sG123).
CREATE TABLE wallet_accounts (
  user_id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  phone TEXT,
  country TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  created_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
-- Emails are unique regardless of case (Alice@x.io and alice@x.io are one account).
CREATE UNIQUE INDEX wallet_accounts_email ON wallet_accounts (lower(email));

-- A phone of an account. device_id has the seed's 24-character shape; wallet_id (22 base62) is
-- the wallet app instance on that device, one per device.
CREATE TABLE wallet_devices (
  device_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES wallet_accounts (user_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  model TEXT NOT NULL,
  imei_last4 TEXT NOT NULL CHECK (imei_last4 ~ '^[0-9]{4}$'),
  serial_last4 TEXT NOT NULL CHECK (serial_last4 ~ '^[A-Za-z0-9]{4}$'),
  locale_country TEXT NOT NULL CHECK (locale_country ~ '^[A-Z]{2}$'),
  wallet_id TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  -- Insertion order: lists stay stable when several rows share a clock millisecond.
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX wallet_devices_user ON wallet_devices (user_id, seq);

-- Signed-in sessions (browser cookie or bearer token). Only the SHA-256 of the token is stored.
CREATE TABLE wallet_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES wallet_accounts (user_id) ON DELETE CASCADE,
  device_id TEXT NOT NULL REFERENCES wallet_devices (device_id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX wallet_sessions_user ON wallet_sessions (user_id);

-- What the wallet holds. The flow domains fill it (source = the domain's name) and keep their
-- own state in `state` and `data`; `ref` is the source's own id for the item (e.g. a regId).
CREATE TABLE wallet_items (
  item_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES wallet_accounts (user_id) ON DELETE CASCADE,
  device_id TEXT REFERENCES wallet_devices (device_id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  ref TEXT,
  title TEXT NOT NULL,
  subtitle TEXT,
  state TEXT NOT NULL,
  image_url TEXT,
  data JSONB NOT NULL DEFAULT '{}'::jsonb,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX wallet_items_user ON wallet_items (user_id, seq);
-- One item per source ref in one wallet (account-wide items use the empty device).
CREATE UNIQUE INDEX wallet_items_ref ON wallet_items (user_id, (COALESCE(device_id, '')), source, ref)
  WHERE ref IS NOT NULL;
CREATE INDEX wallet_items_source_ref ON wallet_items (source, ref) WHERE ref IS NOT NULL;
