-- Save to Pay (PROTOCOLS.md §1): registrations made by partners over mTLS, linked by a wallet
-- that scanned the welcome QR, then provisioned through the token service. The issuerBlob is
-- never stored: it goes from the partner's WA_READY answer to the device and back to the TSP.
CREATE TABLE s2p_registrations (
  reg_id TEXT PRIMARY KEY,
  partner_id TEXT NOT NULL,
  -- The partner's Request-Id of the POST that created it: a retry returns this row.
  request_id TEXT NOT NULL,
  -- The validated POST body (email, phone, flags, data, custom).
  request JSONB NOT NULL,
  -- The seed's enum stops at LINKED; the provisioning outcome is kept beside it.
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'LINKED')),
  provisioning TEXT NOT NULL CHECK (provisioning IN ('NONE', 'IN_PROGRESS', 'PROVISIONED', 'FAILED')),
  -- WA_PROVISION_FAILURE `error` (CARD_ALREADY_PRESENT) when provisioning failed for that reason.
  failure_error TEXT,
  -- Our reason (token service reason, PARTNER_UNREACHABLE, BAD_PARTNER_ANSWER, CANCELED).
  failure_reason TEXT,
  -- Only the current welcome token is valid; a new one replaces it once it expired.
  welcome_token_id TEXT NOT NULL,
  welcome_expires_at BIGINT NOT NULL,
  user_id TEXT,
  device_id TEXT,
  wallet_id TEXT,
  email_matches BOOLEAN,
  phone_matches BOOLEAN,
  token_ref TEXT,
  item_id TEXT,
  created_at BIGINT NOT NULL,
  linked_at BIGINT,
  completed_at BIGINT,
  updated_at BIGINT NOT NULL,
  UNIQUE (partner_id, request_id)
);
CREATE INDEX s2p_registrations_wallet ON s2p_registrations (wallet_id);

-- The sandbox "email and SMS" the platform sends when a registration allows offline
-- communication; the virtual wallet's Mailbox tab shows those addressed to its account.
CREATE TABLE s2p_mailbox (
  message_id TEXT PRIMARY KEY,
  reg_id TEXT NOT NULL REFERENCES s2p_registrations (reg_id),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  created_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX s2p_mailbox_recipient ON s2p_mailbox (recipient, seq);
