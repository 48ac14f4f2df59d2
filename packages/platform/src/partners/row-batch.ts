// Group commit for rows written after the answer (the request log): rows queue while one write is
// in flight and leave together in the next one. Nothing waits on a timer: an idle batcher writes a
// row at once, alone; under load each write carries what arrived during the previous one. The
// queue is bounded: beyond it rows are dropped and counted (logging must never hold memory or the
// caller hostage), and `close()` writes everything queued before it resolves.
// (A generic `core/group-commit.ts` is being written on another branch: this one is private to
// the request log until the two are unified.)

export interface RowBatchOptions {
  /** Rows per write at most (a multi-row INSERT's parameters stay far below PostgreSQL's 65,535). */
  maxBatch: number;
  /** Rows queued at most; further rows are dropped and counted until the queue drains. */
  maxQueue: number;
  /** A failed write: its rows are lost (logged), the batcher goes on with the next ones. */
  onError(err: unknown, rows: number): void;
  /** Rows dropped because the queue was full, reported once the queue has room again. */
  onDropped(rows: number): void;
}

export class RowBatch<T> {
  readonly #write: (rows: T[]) => Promise<void>;
  readonly #options: RowBatchOptions;
  #queue: T[] = [];
  #draining: Promise<void> | undefined;
  #dropped = 0;

  constructor(write: (rows: T[]) => Promise<void>, options: RowBatchOptions) {
    this.#write = write;
    this.#options = options;
  }

  /** Queues a row; starts a write now unless one is in flight (the row then joins the next). */
  push(row: T): void {
    if (this.#queue.length >= this.#options.maxQueue) {
      this.#dropped += 1;
      return;
    }
    this.#queue.push(row);
    this.#draining ??= this.#drain();
  }

  /** Rows waiting for a write. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once every row pushed before the call has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const rows = this.#queue.splice(0, this.#options.maxBatch);
        try {
          await this.#write(rows);
        } catch (err) {
          this.#options.onError(err, rows.length);
        }
        if (this.#dropped > 0) {
          this.#options.onDropped(this.#dropped);
          this.#dropped = 0;
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }
}
