import type { Queryable } from './db.ts';

/**
 * Every expiry and window reads this, never Date.now() directly. `now()` is business time: the
 * sandbox clock moves it (welcome URLs, credential lifetimes, retry waits, pass dates).
 * `realNow()` is the partners' time, which the sandbox never moves: authentication reads it
 * through {@link authNow} (token `utc` freshness both ways, cdata freshness, the `utc` of the
 * platform's own AUTH tokens). A clock without `realNow` has one time for both.
 */
export interface Clock {
  now(): number;
  realNow?(): number;
}

/** The time authentication reads: real time, never moved by `cardport clock advance`. */
export function authNow(clock: Clock): number {
  return clock.realNow ? clock.realNow() : clock.now();
}

export const systemClock: Clock = { now: () => Date.now(), realNow: () => Date.now() };

/**
 * A clock for tests: starts at a fixed instant and moves only when told. `advance` and `set` move
 * time itself (both clocks); `advanceSandbox` moves only business time, as `cardport clock
 * advance` does, so the partners' (real) time stays where it was.
 */
export class ManualClock implements Clock {
  #now: number;
  #sandboxOffsetMs = 0;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }
  now(): number {
    return this.#now + this.#sandboxOffsetMs;
  }
  realNow(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(ms: number): void {
    this.#now = ms - this.#sandboxOffsetMs;
  }
  advanceSandbox(ms: number): void {
    this.#sandboxOffsetMs += ms;
  }
}

/**
 * The sandbox clock: real time plus an offset that only moves forward. The offset lives in the
 * database so that every process sharing it agrees; each process refreshes its copy periodically.
 */
export class SandboxClock implements Clock {
  #offsetMs = 0;
  #timer: NodeJS.Timeout | undefined;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** The partners' time: real time, whatever the offset. */
  realNow(): number {
    return Date.now();
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  async load(q: Queryable): Promise<void> {
    const rows = await q.query<{ offset_ms: number }>('SELECT offset_ms FROM sandbox_clock WHERE id = 1');
    this.#offsetMs = Number(rows[0]?.offset_ms ?? 0);
  }

  async advance(q: Queryable, ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('the sandbox clock only moves forward');
    const rows = await q.query<{ offset_ms: number }>(
      `INSERT INTO sandbox_clock (id, offset_ms) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET offset_ms = sandbox_clock.offset_ms + EXCLUDED.offset_ms
       RETURNING offset_ms`,
      [Math.round(ms)],
    );
    this.#offsetMs = Number(rows[0]?.offset_ms ?? 0);
  }

  async reset(q: Queryable): Promise<void> {
    await q.query('UPDATE sandbox_clock SET offset_ms = 0 WHERE id = 1');
    this.#offsetMs = 0;
  }

  /** Re-reads the shared offset every `intervalMs` so another process's advance is seen here. */
  follow(q: Queryable, intervalMs = 1000): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.load(q).catch(() => {});
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses durations such as `90s`, `5m`, `2h`, `1d`, `1h30m` or a number of milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(re)) {
    total += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    consumed += match[0].length;
  }
  if (consumed !== trimmed.length || consumed === 0) {
    throw new RangeError(`not a duration: "${text}" (use e.g. 30s, 5m, 2h, 1d or 1h30m)`);
  }
  return Math.round(total);
}
