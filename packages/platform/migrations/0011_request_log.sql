-- The console's request log (issue 11): every inbound call on every partner-facing API family,
-- kept per partner and bounded by age and count (partners/request-log.ts prunes). Paths carry no
-- tokens (token segments are replaced by the route's parameter name), bodies are redacted, and
-- object_ids names the registrations, cards, passes and transactions a call touched, for the
-- timeline of one object.
CREATE TABLE request_log (
  id BIGSERIAL PRIMARY KEY,
  request_id TEXT NOT NULL,
  family TEXT NOT NULL,
  partner_id TEXT,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  route TEXT NOT NULL,
  status INTEGER NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  request_body JSONB,
  response_body JSONB,
  warnings JSONB NOT NULL DEFAULT '[]',
  error TEXT,
  object_ids TEXT[] NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE INDEX request_log_partner ON request_log (partner_id, id DESC);
CREATE INDEX request_log_at ON request_log (at);
CREATE INDEX request_log_objects ON request_log USING GIN (object_ids);

-- The welcome page says why a scan was refused (issue 11: it kept "Waiting…" after an email
-- mismatch the phone reported): the last refused scan of a still-waiting registration.
ALTER TABLE s2p_registrations ADD COLUMN refused_scan TEXT;
