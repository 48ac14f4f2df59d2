-- Fault injection per partner (issue 14, docs/verify.md): the platform misbehaves on purpose so a
-- partner can prove it copes. One row per partner with faults set; no row means no faults.
CREATE TABLE partner_faults (
  partner_id TEXT PRIMARY KEY,
  -- Outbound (platform -> partner): extra copies of each durable job, a delay before the first
  -- attempt, reversed order within a window, and the first N attempts of every call aborted.
  duplicates INTEGER NOT NULL DEFAULT 0 CHECK (duplicates BETWEEN 0 AND 5),
  delay_ms BIGINT NOT NULL DEFAULT 0 CHECK (delay_ms BETWEEN 0 AND 86400000),
  reorder_window_ms BIGINT NOT NULL DEFAULT 0 CHECK (reorder_window_ms BETWEEN 0 AND 3600000),
  fail_first INTEGER NOT NULL DEFAULT 0 CHECK (fail_first BETWEEN 0 AND 20),
  -- Inbound (partner -> platform): answer this share of the partner's calls with this error.
  inbound_error TEXT CHECK (inbound_error IN ('503.1', '503.2', '500')),
  inbound_rate DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (inbound_rate >= 0 AND inbound_rate <= 1),
  retry_after_seconds INTEGER NOT NULL DEFAULT 30 CHECK (retry_after_seconds BETWEEN 0 AND 86400),
  -- How many inbound calls were answered with the injected error (shown by `faults show`).
  inbound_injected INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- What was injected into a delivery (a duplicate, a delay, a reordering) and into one attempt
-- (an aborted attempt): shown by the delivery log, NULL when nothing was injected.
ALTER TABLE deliveries ADD COLUMN injected TEXT;
ALTER TABLE delivery_attempts ADD COLUMN injected TEXT;
