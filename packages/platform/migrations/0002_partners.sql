-- Partner onboarding: partners, their client certificates, the platform's per-partner keys,
-- Add to Wallet card registrations and Web Checkout services.

-- partner_id: 32 decimal digits, first non-zero [ours]. It satisfies the seed's UUID type
-- ([a-zA-Z0-9-_]{26,128}), ATW's numeric-string partnerId and x-smcs-partner-id String(32).
-- allow_ips: CIDRs (IPv4 and IPv6); an empty list admits any source address [ours].
-- server_ca_source: where the CAs trusted for the partner's server certificate came from:
-- 'given' (partnerServerCaPem at creation) or 'outbound-ca' (the CA that signed the outbound cert).
CREATE TABLE partners (
  partner_id TEXT PRIMARY KEY CHECK (partner_id ~ '^[1-9][0-9]{31}$'),
  name TEXT NOT NULL,
  notify_url TEXT,
  allow_ips JSONB NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
  options JSONB NOT NULL DEFAULT '{}',
  server_ca_pems JSONB NOT NULL DEFAULT '[]',
  server_ca_source TEXT CHECK (server_ca_source IN ('given', 'outbound-ca')),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Client certificates the sandbox CA issued from partners' CSRs. The same certificate signs the
-- partner's ATW tokens, named by certificate_id (4 alphanumerics, case-sensitive).
CREATE TABLE partner_certificates (
  certificate_id TEXT PRIMARY KEY CHECK (certificate_id ~ '^[A-Za-z0-9]{4}$'),
  partner_id TEXT NOT NULL REFERENCES partners (partner_id),
  fingerprint256 TEXT NOT NULL UNIQUE,
  serial_number TEXT NOT NULL,
  subject TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  not_after BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX partner_certificates_partner ON partner_certificates (partner_id);

-- PROTOCOLS.md 2.2: the platform's RSA-2048 key pair per partner; the partner encrypts cdata to it.
CREATE TABLE partner_platform_keys (
  partner_id TEXT PRIMARY KEY REFERENCES partners (partner_id),
  certificate_pem TEXT NOT NULL,
  private_key_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- The platform's outbound mTLS identity towards one partner: its own key and CSR, and the
-- certificate the partner's CA issued from that CSR once registered.
CREATE TABLE partner_outbound_identities (
  partner_id TEXT PRIMARY KEY REFERENCES partners (partner_id),
  private_key_sealed TEXT NOT NULL,
  csr_pem TEXT NOT NULL,
  certificate_pem TEXT,
  partner_ca_pems JSONB NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Add to Wallet card registrations. card_id: 13 lowercase alphanumerics [ours].
CREATE TABLE cards (
  card_id TEXT PRIMARY KEY CHECK (card_id ~ '^[a-z0-9]{13}$'),
  partner_id TEXT NOT NULL REFERENCES partners (partner_id),
  type TEXT NOT NULL,
  sub_type TEXT NOT NULL,
  partner_url TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX cards_partner ON cards (partner_id);

-- Web Checkout services. service_id: 32 lowercase hex [ours]. The merchant's RSA public key
-- (from its CSR) receives the RSA1_5-wrapped payment credentials (PROTOCOLS.md 4.2).
CREATE TABLE checkout_services (
  service_id TEXT PRIMARY KEY CHECK (service_id ~ '^[0-9a-f]{32}$'),
  partner_id TEXT NOT NULL REFERENCES partners (partner_id),
  name TEXT NOT NULL,
  merchant_public_key_pem TEXT NOT NULL,
  merchant_key_id TEXT NOT NULL,
  domains JSONB NOT NULL,
  health_url TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX checkout_services_partner ON checkout_services (partner_id);
