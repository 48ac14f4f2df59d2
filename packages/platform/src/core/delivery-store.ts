// SQL of the delivery records (migrations/0003_deliveries.sql): write, list, read, replay, cancel,
// count. The worker's claim and completion statements are in delivery-claims.ts. Every function
// takes the db handle.
import type { Queryable } from './db.ts';
import {
  type AttemptOutcome,
  attemptOutcomes,
  type DeliveryMode,
  type DeliveryStatus,
  deliveryModes,
  deliveryStatuses,
} from './delivery-statuses.ts';
import { col, table } from './rows.ts';

export type { AttemptOutcome, DeliveryMode, DeliveryStatus } from './delivery-statuses.ts';
export { deliveryStatuses } from './delivery-statuses.ts';

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

/** The deliveries table (migrations 0003, 0012). */
export const deliveriesTable = table('deliveries', {
  id: col.text('id'),
  mode: col.oneOf('mode', deliveryModes),
  kind: col.text('kind'),
  partnerId: col.nullable(col.text('partner_id')),
  method: col.text('method'),
  url: col.text('url'),
  headers: col.json<Record<string, string>>('headers'),
  bodyText: col.nullable(col.text('body')),
  status: col.oneOf('status', deliveryStatuses),
  attempts: col.number('attempts'),
  scheduleOffset: col.number('schedule_offset'),
  nextAttemptAt: col.number('next_attempt_at'),
  leaseOwner: col.nullable(col.text('lease_owner')),
  leaseUntil: col.nullable(col.number('lease_until')),
  lastStatus: col.nullable(col.number('last_status')),
  lastError: col.nullable(col.text('last_error')),
  createdAt: col.number('created_at'),
  updatedAt: col.number('updated_at'),
  deliveredAt: col.nullable(col.number('delivered_at')),
  injected: col.nullable(col.text('injected')),
});

const attemptsTable = table('delivery_attempts', {
  attempt: col.number('attempt'),
  worker: col.text('worker'),
  startedAt: col.number('started_at'),
  finishedAt: col.nullable(col.number('finished_at')),
  latencyMs: col.nullable(col.number('latency_ms')),
  httpStatus: col.nullable(col.number('http_status')),
  outcome: col.oneOf('outcome', attemptOutcomes),
  error: col.nullable(col.text('error')),
  response: col.nullable(col.text('response')),
  retryAt: col.nullable(col.number('retry_at')),
  injected: col.nullable(col.text('injected')),
});

/** A delivery row as read by `SELECT *` or `RETURNING *`. */
export const toRecord = (row: Record<string, unknown>): DeliveryRecord => deliveriesTable.fromDb(row);

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

/** Writes a delivery. */
export async function insertDelivery(q: Queryable, d: NewDelivery): Promise<void> {
  await q.query(
    `INSERT INTO deliveries (id, mode, kind, partner_id, method, url, headers, body, status, attempts,
       next_attempt_at, last_status, last_error, created_at, updated_at, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
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
  const rows = await q.query(
    `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

export async function getDelivery(q: Queryable, id: string): Promise<DeliveryRecord | undefined> {
  const rows = await q.query('SELECT * FROM deliveries WHERE id = $1', [id]);
  const row = rows[0];
  return row ? toRecord(row) : undefined;
}

export async function listDeliveryAttempts(q: Queryable, id: string): Promise<AttemptRecord[]> {
  const rows = await q.query(
    `SELECT ${attemptsTable.selectList} FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [id],
  );
  return rows.map(attemptsTable.fromDb);
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
  const rows = await q.query(
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
