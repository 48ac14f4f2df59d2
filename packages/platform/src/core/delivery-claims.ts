// The worker's statements on the delivery queue: claim due jobs under a lease (SKIP LOCKED), then
// record each attempt's end fenced by that lease (one statement for a batch).
import type { Queryable } from './db.ts';
import { type DeliveryRecord, type FinishedAttempt, toRecord } from './delivery-store.ts';

/**
 * Claims up to `limit` durable jobs that are due (pending and next_attempt_at reached) or whose
 * lease expired (their worker died mid-delivery). `FOR UPDATE SKIP LOCKED` lets several workers
 * share the queue: a row another worker is claiming is skipped, never taken twice. Each claim
 * counts as an attempt and opens its attempt row; the attempt a dead worker left open is closed
 * as `lease_expired`. One statement, so it is atomic without a transaction of its own.
 */
export async function claimDueDeliveries(
  q: Queryable,
  args: { limit: number; now: number; leaseNow: number; leaseUntil: number; owner: string; worker: string },
): Promise<DeliveryRecord[]> {
  const rows = await q.query(
    // Two index scans (deliveries_due, deliveries_leased) rather than one OR: the cost follows
    // the number of due jobs, not the size of the table, which keeps every delivered job.
    `WITH due AS (
       SELECT id FROM deliveries
        WHERE status = 'pending' AND next_attempt_at <= $3
        ORDER BY next_attempt_at
        LIMIT $5
        FOR UPDATE SKIP LOCKED
     ), abandoned AS (
       SELECT id FROM deliveries
        WHERE status = 'in_flight' AND lease_until <= $4
        ORDER BY lease_until
        LIMIT $5
        FOR UPDATE SKIP LOCKED
     ), picked AS (
       (SELECT id FROM abandoned UNION ALL SELECT id FROM due) LIMIT $5
     ), claimed AS (
       UPDATE deliveries
          SET status = 'in_flight', attempts = attempts + 1, lease_owner = $1, lease_until = $2, updated_at = $3
        WHERE id IN (SELECT id FROM picked)
        RETURNING *
     ), expired AS (
       UPDATE delivery_attempts a
          SET outcome = 'lease_expired',
              error = COALESCE(a.error, 'the worker stopped before the attempt finished; its lease expired')
         FROM claimed c
        WHERE a.delivery_id = c.id AND a.outcome = 'in_flight'
     ), opened AS (
       INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at, outcome)
       SELECT id, attempts, $6, $3, 'in_flight' FROM claimed
     )
     SELECT * FROM claimed`,
    [args.owner, args.leaseUntil, args.now, args.leaseNow, args.limit, args.worker],
  );
  return rows.map(toRecord);
}

export interface AttemptResult {
  status: 'pending' | 'delivered' | 'dead' | 'cancelled';
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  now: number;
}

/**
 * Records the end of an attempt (the job's new state and its attempt row, in one statement),
 * fenced by the claim token: if the lease was lost (another worker reclaimed the job), nothing
 * changes and undefined is returned.
 */
export async function completeDeliveryAttempt(
  q: Queryable,
  id: string,
  owner: string,
  result: AttemptResult,
  attempt: Omit<FinishedAttempt, 'worker' | 'startedAt'>,
): Promise<DeliveryRecord | undefined> {
  const rows = await q.query(
    `WITH done AS (
       UPDATE deliveries
          SET status = $3, next_attempt_at = $4, last_status = $5, last_error = $6, updated_at = $7,
              delivered_at = CASE WHEN $3 = 'delivered' THEN $7::bigint ELSE delivered_at END,
              lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2 AND status = 'in_flight'
        RETURNING *
     ), recorded AS (
       UPDATE delivery_attempts
          SET finished_at = $9, latency_ms = $10, http_status = $11, outcome = $12, error = $13, response = $14,
              retry_at = $15
        WHERE delivery_id = $1 AND attempt = $8 AND EXISTS (SELECT 1 FROM done)
     )
     SELECT * FROM done`,
    [
      id,
      owner,
      result.status,
      result.nextAttemptAt,
      result.lastStatus,
      result.lastError,
      result.now,
      attempt.attempt,
      attempt.finishedAt,
      attempt.latencyMs,
      attempt.httpStatus,
      attempt.outcome,
      attempt.error,
      attempt.response,
      attempt.retryAt,
    ],
  );
  const row = rows[0];
  return row ? toRecord(row) : undefined;
}

/** One finished attempt for `completeDeliveryAttempts`. */
export interface CompletedAttempt {
  id: string;
  owner: string;
  result: AttemptResult;
  attempt: Omit<FinishedAttempt, 'worker' | 'startedAt'>;
  /** The fault injected into this attempt, recorded with it; null when none. */
  injected: string | null;
}

/**
 * Records the end of several attempts in one statement: each job's new state and its attempt
 * row, each fenced by its own claim token exactly as `completeDeliveryAttempt` does. Returns the
 * ids that were updated; a job whose lease was lost is left untouched and absent from the set.
 */
export async function completeDeliveryAttempts(
  q: Queryable,
  items: readonly CompletedAttempt[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const col = <T>(f: (c: CompletedAttempt) => T): T[] => items.map(f);
  const rows = await q.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::text[], $7::bigint[],
                            $8::int[], $9::bigint[], $10::int[], $11::int[], $12::text[], $13::text[], $14::text[],
                            $15::bigint[], $16::text[])
         AS i(id, owner, status, next_attempt_at, last_status, last_error, now, attempt, finished_at, latency_ms,
              http_status, outcome, error, response, retry_at, injected)
     ), done AS (
       UPDATE deliveries d
          SET status = i.status, next_attempt_at = i.next_attempt_at, last_status = i.last_status,
              last_error = i.last_error, updated_at = i.now,
              delivered_at = CASE WHEN i.status = 'delivered' THEN i.now ELSE d.delivered_at END,
              lease_owner = NULL, lease_until = NULL
         FROM input i
        WHERE d.id = i.id AND d.lease_owner = i.owner AND d.status = 'in_flight'
        RETURNING d.id
     ), recorded AS (
       UPDATE delivery_attempts a
          SET finished_at = i.finished_at, latency_ms = i.latency_ms, http_status = i.http_status,
              outcome = i.outcome, error = i.error, response = i.response, retry_at = i.retry_at,
              injected = COALESCE(i.injected, a.injected)
         FROM input i JOIN done ON done.id = i.id
        WHERE a.delivery_id = i.id AND a.attempt = i.attempt
     )
     SELECT id FROM done`,
    [
      col((c) => c.id),
      col((c) => c.owner),
      col((c) => c.result.status),
      col((c) => c.result.nextAttemptAt),
      col((c) => c.result.lastStatus),
      col((c) => c.result.lastError),
      col((c) => c.result.now),
      col((c) => c.attempt.attempt),
      col((c) => c.attempt.finishedAt),
      col((c) => c.attempt.latencyMs),
      col((c) => c.attempt.httpStatus),
      col((c) => c.attempt.outcome),
      col((c) => c.attempt.error),
      col((c) => c.attempt.response),
      col((c) => c.attempt.retryAt),
      col((c) => c.injected),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

export async function finishAttempt(
  q: Queryable,
  id: string,
  a: Omit<FinishedAttempt, 'worker' | 'startedAt'>,
): Promise<void> {
  await q.query(
    `UPDATE delivery_attempts
        SET finished_at = $3, latency_ms = $4, http_status = $5, outcome = $6, error = $7, response = $8,
            retry_at = $9
      WHERE delivery_id = $1 AND attempt = $2`,
    [id, a.attempt, a.finishedAt, a.latencyMs, a.httpStatus, a.outcome, a.error, a.response, a.retryAt],
  );
}

/** Adds a note (e.g. a failed hook) to an attempt's error. */
export async function noteAttemptError(
  q: Queryable,
  id: string,
  attempt: number,
  note: string,
): Promise<void> {
  await q.query(
    `UPDATE delivery_attempts SET error = CASE WHEN error IS NULL THEN $3 ELSE error || '; ' || $3 END
      WHERE delivery_id = $1 AND attempt = $2`,
    [id, attempt, note],
  );
}
