-- Outbound calls to partners (core/delivery.ts): durable jobs retried on a published schedule,
-- and synchronous calls recorded after the fact so the dashboard shows every call.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  mode TEXT NOT NULL CHECK (mode IN ('durable', 'sync')),
  kind TEXT NOT NULL,
  partner_id TEXT,
  method TEXT NOT NULL,
  url TEXT NOT NULL,
  headers JSONB NOT NULL DEFAULT '{}'::jsonb,
  -- The JSON body exactly as serialized at enqueue time; NULL when the request has none.
  body TEXT,
  -- 'failed' is for sync calls only: durable jobs end 'delivered' or 'dead'.
  status TEXT NOT NULL CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Attempts made before the last replay: a replayed job gets the whole schedule again.
  schedule_offset INTEGER NOT NULL DEFAULT 0,
  -- Epoch ms of the injected (sandbox) clock: moving that clock moves retries.
  next_attempt_at BIGINT NOT NULL,
  -- The claim token of the worker delivering it, and when its lease ends (lease clock, epoch ms).
  lease_owner TEXT,
  lease_until BIGINT,
  last_status INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'in_flight';
CREATE INDEX deliveries_newest ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_by_partner ON deliveries (partner_id, created_at DESC);

-- One row per attempt, written when the attempt starts and completed when it ends.
CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  latency_ms INTEGER,
  http_status INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('in_flight', 'delivered', 'retry', 'dead', 'failed', 'lease_expired')),
  -- A safe description of what went wrong (never a token or key).
  error TEXT,
  -- The start of the response body with secret-looking JSON fields redacted.
  response TEXT,
  retry_at BIGINT,
  PRIMARY KEY (delivery_id, attempt)
);
