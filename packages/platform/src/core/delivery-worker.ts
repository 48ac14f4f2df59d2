// The background worker of durable jobs: a loop that claims due jobs while it has free slots,
// runs each attempt (delivery-attempt.ts) and sleeps until a job finishes, a job is enqueued or
// replayed (wake), a NOTIFY arrives from another process, or the poll interval passes.
import { attemptJob, claim } from './delivery-attempt.ts';
import { Completions } from './delivery-completions.ts';
import { type DeliveryContext, deliveryChannel, maxClaim } from './delivery-context.ts';
import type { DeliveryRecord } from './delivery-store.ts';
import type { WorkerOptions } from './delivery-types.ts';

export class DeliveryWorker {
  readonly #ctx: DeliveryContext;
  readonly #completions: Completions;
  readonly #active = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;
  #concurrency = maxClaim;
  #pollMs = 1000;
  #wakeUp: (() => void) | undefined;
  #wakePending = false;
  #unlisten: Promise<(() => Promise<void>) | undefined> | undefined;

  constructor(ctx: DeliveryContext) {
    this.#ctx = ctx;
    this.#completions = new Completions(ctx.db, ctx.log);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Ends the current wait at once (or the next one, if the loop is busy). */
  readonly wake = (): void => {
    if (this.#wakeUp) {
      const w = this.#wakeUp;
      this.#wakeUp = undefined;
      w();
    } else {
      this.#wakePending = true;
    }
  };

  #idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#wakePending) {
        this.#wakePending = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        this.#wakeUp = undefined;
        resolve();
      }, ms);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #attempt(record: DeliveryRecord): Promise<void> {
    return attemptJob(this.#ctx, this.#completions, record).catch((err: unknown) => {
      // A database failure while recording: the lease expires and another pass retries the job.
      this.#ctx.log.error({ err, id: record.id }, 'delivery attempt could not be recorded');
    });
  }

  #track(record: DeliveryRecord): void {
    const p: Promise<void> = this.#attempt(record).finally(() => {
      this.#active.delete(p);
      this.wake();
    });
    this.#active.add(p);
  }

  async #workLoop(): Promise<void> {
    while (this.#running) {
      const free = this.#concurrency - this.#active.size;
      // Under load, claim in batches (once half the slots are free) rather than one job per
      // finished attempt: each claim is a commit, and commits are what durable delivery costs.
      if (free > 0 && (this.#active.size === 0 || free * 2 >= this.#concurrency)) {
        try {
          for (const job of await claim(this.#ctx, Math.min(free, maxClaim))) this.#track(job);
        } catch (err) {
          this.#ctx.log.error({ err }, 'delivery worker: claiming failed');
        }
      }
      if (!this.#running) break;
      // A finished attempt, an enqueue or a replay wakes the loop early; otherwise it polls.
      await this.#idle(this.#pollMs);
    }
  }

  /** Starts the loop (idempotent). */
  start(options: WorkerOptions = {}): void {
    if (this.#running) return;
    this.#concurrency = Math.max(1, options.concurrency ?? this.#concurrency);
    this.#pollMs = Math.max(10, options.pollMs ?? this.#pollMs);
    this.#running = true;
    this.#wakePending = false;
    const { db, log } = this.#ctx;
    // Jobs enqueued by other processes (and this one's, once committed) wake the worker at once.
    this.#unlisten = db.listen
      ? db.listen(deliveryChannel, this.wake).catch((err: unknown) => {
          log.warn({ err }, 'delivery worker: cannot listen for new jobs; polling');
          return undefined;
        })
      : undefined;
    this.#loop = this.#workLoop();
  }

  /** Stops claiming and waits for attempts in flight (SIGTERM drains). */
  async stop(): Promise<void> {
    this.#running = false;
    const listening = this.#unlisten;
    this.#unlisten = undefined;
    await (await listening)?.();
    this.wake();
    await this.#loop;
    this.#loop = undefined;
    await Promise.allSettled([...this.#active]);
  }

  /** One pass for tests: delivers every job due now, waits for them, returns how many were attempted. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claim(this.#ctx, Math.min(this.#concurrency, maxClaim));
      if (jobs.length === 0) break;
      total += jobs.length;
      await Promise.all(jobs.map((job) => this.#attempt(job)));
    }
    return total;
  }
}
