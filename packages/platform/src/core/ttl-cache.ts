// A small read-through cache for rows that are read on every request and change rarely (partners,
// certificates, cards, services). The database stays the truth: an entry lives at most `ttlMs`
// (real time, never the sandbox clock), so a change made by another process sharing the database
// applies within that time; a change made in this process calls `invalidate()` after it commits.
// Misses are not remembered (a row may be created the next moment), concurrent lookups of one key
// share one load, and a load that started before an invalidation does not store its result.
import { performance } from 'node:perf_hooks';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #inflight = new Map<string, Promise<V | undefined>>();
  #generation = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
  ) {}

  lookup(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > performance.now()) return Promise.resolve(entry.value);
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const run = load()
      .then((value) => {
        if (value !== undefined && generation === this.#generation) {
          if (this.#entries.size >= this.maxEntries) this.#entries.clear();
          this.#entries.set(key, { value, expiresAt: performance.now() + this.ttlMs });
        }
        return value;
      })
      .finally(() => {
        if (this.#inflight.get(key) === run) this.#inflight.delete(key);
      });
    this.#inflight.set(key, run);
    return run;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#inflight.clear();
  }
}
