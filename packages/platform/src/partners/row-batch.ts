// Rows written after the answer (the request log), through core/group-commit.ts: an idle batcher
// writes a row at once; under load each statement carries what arrived during the previous one.
// What the log adds to group commit: nobody awaits a row (push and forget), the queue is bounded
// (beyond it rows are dropped and counted: logging must never hold memory or the caller hostage),
// and `flush()` resolves once everything pushed before it has been written.
import { type GroupCommit, groupCommit } from '../core/group-commit.ts';

export interface RowBatchOptions {
  /** Rows per write at most (a multi-row INSERT's parameters stay far below PostgreSQL's 65,535). */
  maxBatch: number;
  /** Rows queued at most; further rows are dropped and counted until the queue drains. */
  maxQueue: number;
  /** A row that could not be written (its batch failed, then the row alone): it is lost, logged. */
  onError(err: unknown, rows: number): void;
  /** Rows dropped because the queue was full, reported once a queued row has been written. */
  onDropped(rows: number): void;
}

export class RowBatch<T> {
  readonly #writer: GroupCommit<T, void>;
  readonly #options: RowBatchOptions;
  readonly #pending = new Set<Promise<void>>();
  #dropped = 0;

  constructor(write: (rows: T[]) => Promise<void>, options: RowBatchOptions) {
    this.#options = options;
    this.#writer = groupCommit<T, void>({
      maxBatch: options.maxBatch,
      writeBatch: async (rows) => {
        await write([...rows]);
        return rows.map(() => undefined);
      },
      writeOne: (row) => write([row]),
    });
  }

  /** Queues a row; it is written now unless a write is in flight (it then joins the next). */
  push(row: T): void {
    if (this.#writer.waiting >= this.#options.maxQueue) {
      this.#dropped += 1;
      return;
    }
    const done = this.#writer
      .write(row)
      .catch((err: unknown) => this.#options.onError(err, 1))
      .finally(() => {
        this.#pending.delete(done);
        if (this.#dropped > 0) {
          this.#options.onDropped(this.#dropped);
          this.#dropped = 0;
        }
      });
    this.#pending.add(done);
  }

  /** Rows waiting for a write. */
  get queued(): number {
    return this.#writer.waiting;
  }

  /** Resolves once every row pushed before the call has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
