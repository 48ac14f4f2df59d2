// Finished durable attempts are written in batches (group commit): one statement per batch, plus
// one transaction around it when a job's onDelivered/onDead hook must run with its result.
import type { Db, Queryable } from './db.ts';
import { type CompletedAttempt, completeDeliveryAttempts, noteAttemptError } from './delivery-claims.ts';
import { maxClaim } from './delivery-context.ts';
import { safeHookError } from './delivery-request.ts';
import type { Logger } from './logger.ts';

/**
 * Runs `hook` under a savepoint: a failing hook is rolled back and logged, the job's state still
 * commits. The savepoint is opened before the hook's first statement, so a hook that runs no SQL
 * costs none.
 */
async function runHook(
  log: Logger,
  q: Queryable,
  name: string,
  kind: string,
  hook: (tx: Queryable) => Promise<void>,
): Promise<string | null> {
  let savepoint: Promise<unknown> | undefined;
  const open = () => (savepoint ??= q.query('SAVEPOINT delivery_hook'));
  const guarded: Queryable = {
    query: async (sql, params) => {
      await open();
      return q.query(sql, params);
    },
    exec: async (sql) => {
      await open();
      await q.exec(sql);
    },
    // What a hook enqueues wakes the workers once the batch's transaction commits.
    ...(q.afterCommit ? { afterCommit: q.afterCommit.bind(q) } : {}),
  };
  try {
    await hook(guarded);
    if (savepoint) await q.query('RELEASE SAVEPOINT delivery_hook');
    return null;
  } catch (err) {
    if (savepoint) await q.query('ROLLBACK TO SAVEPOINT delivery_hook');
    log.error({ err, kind, hook: name }, 'delivery hook failed');
    return safeHookError(err, name);
  }
}

export interface Completion extends CompletedAttempt {
  kind: string;
  hook: { name: string; run: (tx: Queryable) => Promise<void> } | undefined;
  settle: (updated: boolean) => void;
  fail: (err: unknown) => void;
}

/** Records a batch: one statement, plus one transaction around it when a job has a hook. */
async function completeBatch(db: Db, log: Logger, batch: readonly Completion[]): Promise<Set<string>> {
  if (!batch.some((c) => c.hook)) return completeDeliveryAttempts(db, batch);
  return db.transaction(async (tx) => {
    const done = await completeDeliveryAttempts(tx, batch);
    for (const c of batch) {
      if (!c.hook || !done.has(c.id)) continue;
      const hookError = await runHook(log, tx, c.hook.name, c.kind, c.hook.run);
      if (hookError) await noteAttemptError(tx, c.id, c.attempt.attempt, hookError);
    }
    return done;
  });
}

/**
 * Group commit of finished attempts: those that end while a batch is being written go into the
 * next one. If a batch fails, its jobs are retried one by one, so one bad row fails only itself.
 */
export class Completions {
  readonly #queue: Completion[] = [];
  #flushing = false;

  readonly db: Db;
  readonly log: Logger;

  constructor(db: Db, log: Logger) {
    this.db = db;
    this.log = log;
  }

  /** Queues a finished attempt; true when its result was written (the lease still held). */
  complete(c: Omit<Completion, 'settle' | 'fail'>): Promise<boolean> {
    return new Promise<boolean>((settle, fail) => {
      this.#queue.push({ ...c, settle, fail });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      // Let the attempts that finish in this turn of the event loop join the first batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, maxClaim);
        try {
          const done = await completeBatch(this.db, this.log, batch);
          for (const c of batch) c.settle(done.has(c.id));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]?.fail(err);
            continue;
          }
          for (const c of batch) {
            await completeBatch(this.db, this.log, [c]).then(
              (done) => c.settle(done.has(c.id)),
              (e: unknown) => c.fail(e),
            );
          }
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
