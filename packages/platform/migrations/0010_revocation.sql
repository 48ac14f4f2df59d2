-- Revocation ends a partner's pending work in a state that says why (docs/reliability.md):
-- a delivery that will never be sent because its partner is revoked is 'cancelled', and so is
-- the attempt the worker refused to make.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
  CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead', 'failed', 'cancelled'));
ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_outcome_check;
ALTER TABLE delivery_attempts ADD CONSTRAINT delivery_attempts_outcome_check
  CHECK (outcome IN ('in_flight', 'delivered', 'retry', 'dead', 'failed', 'lease_expired', 'cancelled'));
