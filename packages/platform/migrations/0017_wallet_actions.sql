-- What the user did on the phone (issue 11): a card linked, a pass added or removed, a payment
-- approved, declined or cancelled. Written in the same transaction as the change it records, so
-- an object's timeline on the console shows the wallet's actions between the partner's calls and
-- the deliveries they caused.
CREATE TABLE wallet_actions (
  id BIGSERIAL PRIMARY KEY,
  account_id TEXT NOT NULL,
  action TEXT NOT NULL,
  object_id TEXT NOT NULL,
  detail JSONB NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE INDEX wallet_actions_object ON wallet_actions (object_id, id);
CREATE INDEX wallet_actions_at ON wallet_actions (at);
