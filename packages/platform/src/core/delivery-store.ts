// SQL of the delivery queue (migrations/0003_deliveries.sql). Every function takes the db handle.
import type { Queryable } from './db.ts';

export type DeliveryMode = 'durable' | 'sync';
/** `cancelled`: never (again) sent, because the outbound gate refused it (a revoked partner). */
export type DeliveryStatus = 'pending' | 'in_flight' | 'delivered' | 'dead' | 'failed' | 'cancelled';
export type AttemptOutcome =
  | 'in_flight'
  | 'delivered'
  | 'retry'
  | 'dead'
  | 'failed'
  | 'lease_expired'
  | 'cancelled';

export const deliveryStatuses: readonly DeliveryStatus[] = [
  'pending',
  'in_flight',
  'delivered',
  'dead',
  'failed',
  'cancelled',
];

/** One outbound call: a durable job or a recorded sync call. Times are epoch ms. */
export interface DeliveryRecord {
  id: string;
  mode: DeliveryMode;
  kind: string;
  partnerId: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON body as serialized at enqueue time; null when the request has none. */
  bodyText: string | null;
  status: DeliveryStatus;
  attempts: number;
  scheduleOffset: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
  /** What fault injection did to this delivery (migration 0012); null when nothing. */
  injected: string | null;
}

export interface AttemptRecord {
  attempt: number;
  worker: string;
  startedAt: number;
  finishedAt: number | null;
  latencyMs: number | null;
  httpStatus: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  response: string | null;
  retryAt: number | null;
  /** The fault injected into this attempt (it never left the platform); null when none. */
  injected: string | null;
}

interface DeliveryRow {
  id: string;
  mode: DeliveryMode;
  kind: string;
  partner_id: string | null;
  method: string;
  url: string;
  headers: Record<string, string> | string;
  body: string | null;
  status: DeliveryStatus;
  attempts: number;
  schedule_offset: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
  injected?: string | null;
}

interface AttemptRow {
  attempt: number;
  worker: string;
  started_at: number;
  finished_at: number | null;
  latency_ms: number | null;
  http_status: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  response: string | null;
  retry_at: number | null;
  injected?: string | null;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toRecord(r: DeliveryRow): DeliveryRecord {
  return {
    id: r.id,
    mode: r.mode,
    kind: r.kind,
    partnerId: r.partner_id,
    method: r.method,
    url: r.url,
    headers: typeof r.headers === 'string' ? (JSON.parse(r.headers) as Record<string, string>) : r.headers,
    bodyText: r.body,
    status: r.status,
    attempts: Number(r.attempts),
    scheduleOffset: Number(r.schedule_offset),
    nextAttemptAt: Number(r.next_attempt_at),
    leaseOwner: r.lease_owner,
    leaseUntil: num(r.lease_until),
    lastStatus: num(r.last_status),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deliveredAt: num(r.delivered_at),
    injected: r.injected ?? null,
  };
}

function toAttempt(r: AttemptRow): AttemptRecord {
  return {
    attempt: Number(r.attempt),
    worker: r.worker,
    startedAt: Number(r.started_at),
    finishedAt: num(r.finished_at),
    latencyMs: num(r.latency_ms),
    httpStatus: num(r.http_status),
    outcome: r.outcome,
    error: r.error,
    response: r.response,
    retryAt: num(r.retry_at),
    injected: r.injected ?? null,
  };
}

export interface NewDelivery {
  id: string;
  mode: DeliveryMode;
  kind: string;
  partnerId: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyText: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  now: number;
  deliveredAt: number | null;
}

/**
 * Writes a delivery. With `notify` (PostgreSQL), the same statement also NOTIFYs that channel,
 * which PostgreSQL delivers to the listeners when the transaction commits.
 */
export async function insertDelivery(q: Queryable, d: NewDelivery, notify?: string): Promise<void> {
  const insert = `INSERT INTO deliveries (id, mode, kind, partner_id, method, url, headers, body, status, attempts,
       next_attempt_at, last_status, last_error, created_at, updated_at, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $14, $15)`;
  await q.query(
    notify === undefined
      ? insert
      : `WITH inserted AS (${insert} RETURNING id) SELECT pg_notify($16, '') FROM inserted`,
    [
      d.id,
      d.mode,
      d.kind,
      d.partnerId,
      d.method,
      d.url,
      JSON.stringify(d.headers),
      d.bodyText,
      d.status,
      d.attempts,
      d.nextAttemptAt,
      d.lastStatus,
      d.lastError,
      d.now,
      d.deliveredAt,
      ...(notify === undefined ? [] : [notify]),
    ],
  );
}

export interface FinishedAttempt {
  attempt: number;
  worker: string;
  startedAt: number;
  finishedAt: number;
  latencyMs: number;
  httpStatus: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  response: string | null;
  retryAt: number | null;
}

export async function insertAttempt(q: Queryable, deliveryId: string, a: FinishedAttempt): Promise<void> {
  await q.query(
    `INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_at, finished_at, latency_ms,
       http_status, outcome, error, response, retry_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      deliveryId,
      a.attempt,
      a.worker,
      a.startedAt,
      a.finishedAt,
      a.latencyMs,
      a.httpStatus,
      a.outcome,
      a.error,
      a.response,
      a.retryAt,
    ],
  );
}

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
  const rows = await q.query<DeliveryRow>(
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
  const rows = await q.query<DeliveryRow>(
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

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  kind?: string | undefined;
  partnerId?: string | undefined;
  mode?: DeliveryMode | undefined;
  limit?: number | undefined;
}

/** Newest first. */
export async function listDeliveries(q: Queryable, filter: DeliveryFilter = {}): Promise<DeliveryRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown) => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (filter.status) add('status', filter.status);
  if (filter.kind) add('kind', filter.kind);
  if (filter.partnerId) add('partner_id', filter.partnerId);
  if (filter.mode) add('mode', filter.mode);
  params.push(filter.limit ?? 50);
  const rows = await q.query<DeliveryRow>(
    `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

export async function getDelivery(q: Queryable, id: string): Promise<DeliveryRecord | undefined> {
  const rows = await q.query<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]);
  const row = rows[0];
  return row ? toRecord(row) : undefined;
}

export async function listDeliveryAttempts(q: Queryable, id: string): Promise<AttemptRecord[]> {
  const rows = await q.query<AttemptRow>(
    `SELECT attempt, worker, started_at, finished_at, latency_ms, http_status, outcome, error, response, retry_at,
            injected
       FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [id],
  );
  return rows.map(toAttempt);
}

/**
 * Puts a finished durable job back in the queue, due now, with the whole schedule ahead of it
 * again. The attempt history stays. Returns undefined when the job is not in a replayable state.
 */
export async function replayDelivery(
  q: Queryable,
  id: string,
  now: number,
): Promise<DeliveryRecord | undefined> {
  const rows = await q.query<DeliveryRow>(
    `UPDATE deliveries
        SET status = 'pending', next_attempt_at = $2, schedule_offset = attempts, updated_at = $2
      WHERE id = $1 AND mode = 'durable' AND status IN ('dead', 'delivered')
      RETURNING *`,
    [id, now],
  );
  const row = rows[0];
  return row ? toRecord(row) : undefined;
}

/**
 * Cancels every queued durable job of a partner (status `cancelled`, `last_error` = reason), in
 * the caller's transaction. Jobs in flight finish their attempt; the outbound gate stops any retry.
 */
export async function cancelPendingDeliveries(
  q: Queryable,
  args: { partnerId: string; reason: string; now: number },
): Promise<number> {
  const rows = await q.query(
    `UPDATE deliveries SET status = 'cancelled', last_error = $2, updated_at = $3
      WHERE partner_id = $1 AND status = 'pending'
      RETURNING id`,
    [args.partnerId, args.reason, args.now],
  );
  return rows.length;
}

/** Counts per status (for the dashboard and metrics). */
export async function countDeliveries(q: Queryable): Promise<Record<DeliveryStatus, number>> {
  const rows = await q.query<{ status: DeliveryStatus; n: number }>(
    'SELECT status, COUNT(*)::int AS n FROM deliveries GROUP BY status',
  );
  const counts = Object.fromEntries(deliveryStatuses.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Records the fault injected into one attempt (core/delivery-faults.ts). */
export async function markAttemptInjected(
  q: Queryable,
  id: string,
  attempt: number,
  note: string,
): Promise<void> {
  await q.query('UPDATE delivery_attempts SET injected = $3 WHERE delivery_id = $1 AND attempt = $2', [
    id,
    attempt,
    note,
  ]);
}
