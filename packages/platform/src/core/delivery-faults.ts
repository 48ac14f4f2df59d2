// The fault-injection hook of the delivery module. Core knows no partner settings: the platform
// fills this interface (src/faults/) and the delivery module consults it at two points only,
// when a durable job is written and before any attempt leaves. See docs/verify.md.
import type { Queryable } from './db.ts';
import type { DeliveryMode } from './delivery-store.ts';
import { newHexId } from './ids.ts';

/** What to do to a durable job being enqueued for a partner. */
export interface EnqueueFault {
  /** Extra copies written beside the job (each delivered on its own: the partner sees duplicates). */
  copies: number;
  /** How long after now the first attempt is due (delay and reordering both move it). */
  delayMs: number;
  /** A safe description stored on the delivery (and its copies) as `injected`. */
  note: string;
}

export interface AttemptTarget {
  partnerId: string;
  kind: string;
  mode: DeliveryMode;
  /** 1 for the first attempt of the call or job. */
  attempt: number;
}

export interface DeliveryFaults {
  /** In the enqueue transaction of a partner's durable job; null when nothing is injected. */
  atEnqueue(
    q: Queryable,
    job: { partnerId: string; kind: string; now: number },
  ): Promise<EnqueueFault | null>;
  /**
   * Before an attempt leaves: a description aborts it without sending (recorded as a failed
   * attempt with `injected` set), so the retry path runs exactly as for a network failure.
   */
  beforeAttempt(target: AttemptTarget): Promise<string | null>;
}

/** Applies an enqueue fault to the job just inserted (same transaction): moves it and copies it. */
export async function applyEnqueueFault(
  q: Queryable,
  faults: DeliveryFaults,
  id: string,
  job: { partnerId: string; kind: string; now: number },
): Promise<void> {
  const fault = await faults.atEnqueue(q, job);
  if (!fault) return;
  const due = job.now + Math.max(0, fault.delayMs);
  await q.query('UPDATE deliveries SET next_attempt_at = $2, injected = $3 WHERE id = $1', [
    id,
    due,
    fault.note,
  ]);
  for (let i = 1; i <= fault.copies; i++) {
    await q.query(
      `INSERT INTO deliveries (id, mode, kind, partner_id, method, url, headers, body, status, attempts,
         next_attempt_at, created_at, updated_at, injected)
       SELECT $2, mode, kind, partner_id, method, url, headers, body, status, 0, next_attempt_at,
              created_at, updated_at, $3
         FROM deliveries WHERE id = $1`,
      [id, `dlv_${newHexId(12)}`, `duplicate ${i} of ${id}; ${fault.note}`],
    );
  }
}
