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
