-- The partner's half of the bidirectional health check: every HEAD /ops/v1/internal/health the
-- platform receives bumps this one counter, so a probe started by one process sees a callback
-- that reached another process sharing the database (issue 12). A probe reads the count before
-- it calls the partner's health URL and again after: a larger count is `callback_seen`.
CREATE TABLE checkout_health_callbacks (
  id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
  seen BIGINT NOT NULL DEFAULT 0,
  last_at BIGINT
);
INSERT INTO checkout_health_callbacks (id, seen) VALUES (TRUE, 0);
