-- Core tables: the shared sandbox clock offset and the encrypted key store.
CREATE TABLE sandbox_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  offset_ms BIGINT NOT NULL DEFAULT 0
);
INSERT INTO sandbox_clock (id, offset_ms) VALUES (1, 0);

-- Private keys and certificates the platform owns. Private keys are sealed with the master key.
CREATE TABLE platform_keys (
  name TEXT PRIMARY KEY,
  certificate_pem TEXT,
  public_key_pem TEXT,
  private_key_sealed TEXT,
  created_at BIGINT NOT NULL
);

-- Runtime switches (e.g. an API taken offline to demonstrate 503.2).
CREATE TABLE platform_switches (
  name TEXT PRIMARY KEY,
  value JSONB NOT NULL,
  updated_at BIGINT NOT NULL
);
