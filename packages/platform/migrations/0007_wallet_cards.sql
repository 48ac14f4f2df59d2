-- Add to Wallet (issue 4): the passes partners put into the virtual wallet with Add to Wallet
-- links, their state history, and the checked links waiting for the user to press "Add".
-- wallet_cards is the source of truth for a pass; the wallet's generic wallet_items row
-- (source 'wallet-cards') is its projection for the phone's list, written in the same transaction.

-- A link that passed every check (cdata verified and decrypted, or pdata fetched from the
-- partner), kept for a few minutes so the user can sign in and press "Add" after the token's 30 s.
CREATE TABLE wallet_card_offers (
  offer_id TEXT PRIMARY KEY,
  card_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('cdata', 'pdata')),
  card JSONB NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

-- One pass (one card.data[] object, by refId) in one device's wallet.
CREATE TABLE wallet_cards (
  wallet_card_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES wallet_accounts (user_id) ON DELETE CASCADE,
  device_id TEXT NOT NULL REFERENCES wallet_devices (device_id) ON DELETE CASCADE,
  -- The wallet_items row showing it; null once the card left the wallet.
  item_id TEXT,
  card_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  type TEXT NOT NULL,
  sub_type TEXT NOT NULL,
  -- Country of the device's locale: the cc2 of Send Card State and of the Server API paths.
  cc2 TEXT NOT NULL,
  state TEXT NOT NULL,
  -- The card.data[] object as the partner last sent it (language, attributes, localization, ...).
  data JSONB NOT NULL,
  -- Keys of Cancel Notification: ticket eventId; boarding pass vehicleNumber and start date.
  event_id TEXT,
  vehicle_number TEXT,
  start_date BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  removed_at BIGINT,
  seq BIGINT GENERATED ALWAYS AS IDENTITY
);
-- A device's wallet holds a card's refId at most once at a time.
CREATE UNIQUE INDEX wallet_cards_device_ref ON wallet_cards (device_id, card_id, ref_id) WHERE removed_at IS NULL;
CREATE INDEX wallet_cards_ref ON wallet_cards (card_id, ref_id);
CREATE INDEX wallet_cards_event ON wallet_cards (card_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX wallet_cards_vehicle ON wallet_cards (card_id, vehicle_number) WHERE vehicle_number IS NOT NULL;
CREATE INDEX wallet_cards_user ON wallet_cards (user_id, seq);

-- Every state a pass went through, and why.
CREATE TABLE wallet_card_history (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  wallet_card_id TEXT NOT NULL REFERENCES wallet_cards (wallet_card_id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  cause TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX wallet_card_history_card ON wallet_card_history (wallet_card_id, id);
