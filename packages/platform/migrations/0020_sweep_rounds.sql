-- Periodic work that every process schedules but one should do per round (issue 13: Web
-- Checkout's scheduled health probes). A process runs a round only when its claim moves
-- `last_at` forward (core/sweep.ts, claimSweepRound); the others find it recent and skip.
CREATE TABLE sweep_rounds (
  name TEXT PRIMARY KEY,
  last_at BIGINT NOT NULL
);
