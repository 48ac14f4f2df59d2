// What the mTLS guard knows about client certificates, cached briefly so that a request does not
// cost a database query. The database stays the truth: an entry lives at most `ttlMs` (real
// time, not the sandbox clock), so a revocation made by another process sharing the database
// applies within that time; changes made in this process (revocations, allow-list updates)
// invalidate the cache at once, after their transaction commits.
import { performance } from 'node:perf_hooks';
import { appStateKey } from '../core/app-state.ts';
import type { Db, Queryable } from '../core/db.ts';
import { IpAllowList } from './ip-allow-list.ts';
import { invalidateLookups } from './lookup-cache.ts';
import { type CertificateBinding, findCertificateBinding } from './store.ts';

/** How long a binding read from the database is trusted (ms). */
export const BINDING_TTL_MS = 250;

export interface CachedBinding extends CertificateBinding {
  allowList: IpAllowList;
}

interface Entry {
  binding: CachedBinding | undefined;
  expiresAt: number;
}

export class BindingCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<CachedBinding | undefined>>();
  // Bumped by every invalidation: a lookup that started before one must not store its result.
  #generation = 0;

  constructor(readonly ttlMs = BINDING_TTL_MS) {}

  async lookup(q: Queryable, fingerprint256: string): Promise<CachedBinding | undefined> {
    const entry = this.#entries.get(fingerprint256);
    if (entry && entry.expiresAt > performance.now()) return entry.binding;
    const pending = this.#inflight.get(fingerprint256);
    if (pending) return pending;
    const generation = this.#generation;
    const load = this.#load(q, fingerprint256, generation).finally(() => {
      if (this.#inflight.get(fingerprint256) === load) this.#inflight.delete(fingerprint256);
    });
    this.#inflight.set(fingerprint256, load);
    return load;
  }

  async #load(q: Queryable, fingerprint256: string, generation: number): Promise<CachedBinding | undefined> {
    const found = await findCertificateBinding(q, fingerprint256);
    const binding = found ? { ...found, allowList: new IpAllowList(found.allowIps) } : undefined;
    // Unknown certificates are not remembered: a certificate may be registered the next moment.
    if (binding && generation === this.#generation) {
      if (this.#entries.size >= 10_000) this.#entries.clear();
      this.#entries.set(fingerprint256, { binding, expiresAt: performance.now() + this.ttlMs });
    }
    return binding;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#inflight.clear();
  }
}

// One cache per database handle, kept in the handle's own state: tests run several platforms in
// one process. A transaction has none of its own (its reads go to the database).
const bindingCacheKey = appStateKey('partners.bindings', () => new BindingCache());

export function bindingCacheFor(db: Queryable): BindingCache {
  return 'state' in db ? (db as Db).state.get(bindingCacheKey) : new BindingCache();
}

/** Call after committing a change to certificates, partner status or allow-lists. */
export function invalidateBindings(db: Queryable): void {
  if ('state' in db) (db as Db).state.get(bindingCacheKey).invalidate();
  invalidateLookups(db); // the partner, certificate, card, service and platform-key rows (lookup-cache.ts)
}
