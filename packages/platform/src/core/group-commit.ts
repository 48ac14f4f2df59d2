// Group commit: concurrent writers share one statement. A caller hands its item to `write` and
// awaits its own outcome. When no batch is being written the item goes at once (no timer, no
// delay when idle); items that arrive while a batch is being written wait and go together in the
// next batch, at most `maxBatch` per statement. Nothing is answered before the statement that
// wrote the item has finished (an autocommit statement: committed). When a batch fails as a whole,
// each of its items is written again alone, so every caller gets its own answer (its own row, or
// its own error) and one bad item never fails the others.
import { type AppStateKey, appStateKey } from './app-state.ts';
import type { Queryable } from './db.ts';
import type { Logger } from './logger.ts';
import type { Table } from './rows.ts';

export interface GroupCommitOptions<I, O> {
  /**
   * Writes a batch in one statement and answers one outcome per item, in order. It must be
   * atomic, or `writeOne` must be idempotent: after a failure the items are written again alone.
   */
  writeBatch(items: readonly I[]): Promise<readonly O[]>;
  /** Writes one item alone: a batch of one, and each item of a batch whose write failed. */
  writeOne(item: I): Promise<O>;
  /** At most this many items per statement (default 64). */
  maxBatch?: number;
  /** Batches written at the same time (default 1: the next batch waits for the previous). */
  concurrency?: number;
  /**
   * Callers answered per turn of the event loop once a batch is written (default 8). Each answer
   * resumes its caller's request, which then builds and sends its response synchronously: answering
   * 64 at once held the loop for the whole batch's responses (about 20 ms under load), so the
   * answers go in chunks, with other I/O and timers between them.
   */
  answerChunk?: number;
  /** Told when a whole batch failed, before its items are written alone (never given the items). */
  onBatchError?(err: unknown, size: number): void;
}

export interface GroupCommit<I, O> {
  /** Writes `item` with whichever batch it joins; resolves once that statement has finished. */
  write(item: I): Promise<O>;
  /** Items waiting for a batch (not yet being written). */
  readonly waiting: number;
  /** Batches being written now. */
  readonly inFlight: number;
}

interface Waiter<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(err: unknown): void;
}

export function groupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const maxBatch = options.maxBatch ?? 64;
  const concurrency = options.concurrency ?? 1;
  const answerChunk = options.answerChunk ?? 8;
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) throw new RangeError('maxBatch must be an integer ≥ 1');
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new RangeError('concurrency must be an integer ≥ 1');
  if (!(Number.isInteger(answerChunk) && answerChunk >= 1))
    throw new RangeError('answerChunk must be an integer ≥ 1');
  const queue: Waiter<I, O>[] = [];
  let inFlight = 0;

  const one = async (w: Waiter<I, O>): Promise<void> => {
    try {
      w.resolve(await options.writeOne(w.item));
    } catch (err) {
      w.reject(err);
    }
  };

  const writeBatch = async (batch: Waiter<I, O>[]): Promise<void> => {
    if (batch.length === 1) return one(batch[0] as Waiter<I, O>);
    let outcomes: readonly O[];
    try {
      outcomes = await options.writeBatch(batch.map((w) => w.item));
      if (outcomes.length !== batch.length)
        throw new Error(`a batch of ${batch.length} answered ${outcomes.length} outcomes`);
    } catch (err) {
      try {
        options.onBatchError?.(err, batch.length);
      } catch {
        // A failing observer must not cost the callers their answers.
      }
      await Promise.all(batch.map(one));
      return;
    }
    // The statement is done: the next batch may start while these callers are answered.
    void answer(batch, outcomes);
  };

  const answer = async (batch: Waiter<I, O>[], outcomes: readonly O[]): Promise<void> => {
    for (let i = 0; i < batch.length; i++) {
      if (i > 0 && i % answerChunk === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      (batch[i] as Waiter<I, O>).resolve(outcomes[i] as O);
    }
  };

  const pump = (): void => {
    while (inFlight < concurrency && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      // writeBatch never rejects: every failure is handed to the items' own callers.
      void writeBatch(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    write(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    get waiting() {
      return queue.length;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

/** Whole rows of one table, written through group commit (see {@link batchedInserts}). */
export interface BatchedInserts<R> {
  /** Resolves once the INSERT that carried `row` has committed; rejects with that row's own error. */
  insert(deps: { db: Queryable; log: Logger }, row: R): Promise<void>;
}

/**
 * Declares a per-app group-commit INSERT of whole rows of `t`: rows that arrive while one INSERT
 * runs leave together in the next (`insertMany`, at most 64), one autocommit statement for the
 * writes of the moment instead of one each. Use it as `deps.state.get(key).insert(deps, row)`.
 */
export function batchedInserts<R>(name: string, t: Table<R>): AppStateKey<BatchedInserts<R>> {
  return appStateKey(name, () => {
    let writer: GroupCommit<R, void> | undefined;
    return {
      insert({ db, log }, row) {
        writer ??= groupCommit<R, void>({
          writeBatch: async (rows) => {
            await t.insertMany(db, rows);
            return rows.map(() => undefined);
          },
          writeOne: async (one) => {
            await t.insert(db, one);
          },
          onBatchError: (err, size) =>
            log.warn(
              { table: t.name, size, err: (err as Error).message },
              'batched INSERT failed: writing each row alone',
            ),
        });
        return writer.write(row);
      },
    };
  });
}
