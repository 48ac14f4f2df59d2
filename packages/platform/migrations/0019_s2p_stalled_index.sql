-- The Save to Pay sweep looks for registrations linked long ago and still provisioning
-- (save-to-pay/provisioning.ts, failStalledProvisioning): a partial index keeps that lookup small
-- however many registrations are over.
CREATE INDEX s2p_registrations_in_progress ON s2p_registrations (linked_at)
  WHERE provisioning = 'IN_PROGRESS';
