// Periodic housekeeping that several processes sharing one database may all schedule: each run
// takes a transaction-scoped advisory lock named after the sweep, and a process that finds it
// taken skips that run (another one is doing the work). The lock ends with the transaction.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.ts';

/** The advisory lock key of a sweep: the first 8 bytes of SHA-256 of its name, as a signed bigint. */
export function sweepLockKey(name: string): string {
  return createHash('sha256').update(`cardport:sweep:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `work` in one transaction under the sweep's advisory lock; returns false (and runs nothing)
 * when another process holds the lock.
 */
export async function runSweep(
  db: Db,
  name: string,
  work: (tx: Queryable) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
      [sweepLockKey(name)],
    );
    if (!row?.locked) return false;
    await work(tx);
    return true;
  });
}

/** A round may start this much early (a fraction of its interval), for timers that drift. */
const roundSlack = 0.1;

/**
 * Claims this round of a periodic job that every process sharing the database schedules but only
 * one should run per round (a health probe calls partners: N processes must not probe N times).
 * True for the first claim in each `everyMs` (less a tenth, for drifting timers), false for every
 * other: one autocommit statement, so the work itself runs outside any transaction and a crash
 * loses that round only. `now` is the caller's real time (process clocks must agree to well
 * within a tenth of the interval).
 */
export async function claimSweepRound(
  q: Queryable,
  name: string,
  everyMs: number,
  now: number,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO sweep_rounds (name, last_at) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET last_at = EXCLUDED.last_at WHERE sweep_rounds.last_at <= $3
     RETURNING name`,
    [name, now, Math.floor(now - everyMs * (1 - roundSlack))],
  );
  return rows.length === 1;
}
