-- Expired checked links are removed by a periodic sweep (wallet-cards/module.ts) rather than on
-- every link check: this index lets the sweep find them without reading the whole table.
CREATE INDEX wallet_card_offers_expiry ON wallet_card_offers (expires_at);
