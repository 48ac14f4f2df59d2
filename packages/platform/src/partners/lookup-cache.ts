// The onboarding rows every request reads (partner, certificate, card, Web Checkout service,
// platform key), cached per database handle with the mTLS binding cache's TTL and invalidation
// (binding-cache.ts calls invalidateLookups): a change made in this process clears them after it commits, one made by
// another process sharing the database applies within LOOKUP_TTL_MS. Only reads on the database
// handle itself are cached; reads inside a transaction (which may hold locks) always go to it.
import type { KeyObject } from 'node:crypto';
import { appStateKey } from '../core/app-state.ts';
import type { Db, Queryable } from '../core/db.ts';
import { TtlCache } from '../core/ttl-cache.ts';
import type * as store from './store.ts';

interface LookupCaches {
  partners: TtlCache<store.Partner>;
  certificates: TtlCache<unknown>;
  cards: TtlCache<store.Card>;
  services: TtlCache<store.CheckoutService>;
  platformKeys: TtlCache<unknown>;
  /** Keys parsed from stored text (certificates, sealed private keys), by that text. */
  parsedKeys: Map<string, KeyObject>;
}

/** The mTLS binding cache's BINDING_TTL_MS: revocation reaches every process within it. */
export const LOOKUP_TTL_MS = 250;

/** The lookup caches of one database handle, kept in the handle's own state. */
const lookupCachesKey = appStateKey(
  'partners.lookups',
  (): LookupCaches => ({
    partners: new TtlCache(LOOKUP_TTL_MS),
    certificates: new TtlCache(LOOKUP_TTL_MS),
    cards: new TtlCache(LOOKUP_TTL_MS),
    services: new TtlCache(LOOKUP_TTL_MS),
    platformKeys: new TtlCache(LOOKUP_TTL_MS),
    parsedKeys: new Map(),
  }),
);

/** The handle's caches; none for a transaction (its reads may hold locks and must be fresh). */
function cachesOf(q: Queryable): LookupCaches | undefined {
  return 'transaction' in q && 'state' in q ? (q as Db).state.get(lookupCachesKey) : undefined;
}

type CacheName = keyof LookupCaches;

/** Reads through the named cache of `q` when `q` is the database handle; straight `load()` otherwise. */
export function cachedLookup<V>(
  q: Queryable,
  cache: CacheName,
  key: string,
  load: () => Promise<V | undefined>,
): Promise<V | undefined> {
  const c = cachesOf(q);
  return c ? (c[cache] as TtlCache<V>).lookup(key, load) : load();
}

/** Clears every lookup cache of this database handle (called with invalidateBindings). */
export function invalidateLookups(db: Queryable): void {
  const c = cachesOf(db);
  if (!c) return;
  for (const cache of [c.partners, c.certificates, c.cards, c.services, c.platformKeys]) cache.invalidate();
}

/**
 * Parsing a certificate or unsealing a key costs milliseconds; the result depends only on the
 * stored text, so it is memoized by that text on the database handle (status such as revocation
 * is still read each time). Inside a transaction it is parsed afresh.
 */
export function memoParsedKey(q: Queryable, text: string, parse: () => KeyObject): KeyObject {
  const memo = cachesOf(q)?.parsedKeys;
  if (!memo) return parse();
  let key = memo.get(text);
  if (!key) {
    key = parse();
    if (memo.size >= 2000) memo.delete(memo.keys().next().value as string);
    memo.set(text, key);
  }
  return key;
}
