// The Save to Pay switches (503.1 shedding load, 503.2 API off): kept in the database so that every
// process honours them, and read by each app at most once a second (a 1-second TTL: a change made
// through another process is seen within a second; through this app, at once).
import { appStateKey } from '../core/app-state.ts';
import type { S2pDeps } from './deps.ts';
import { readSwitches, type S2pSwitches, writeSwitches } from './store.ts';

/** How long an app keeps the switches it read before reading them again. */
export const SWITCHES_TTL_MS = 1000;

const switchesCache = appStateKey('save-to-pay.switches', () => ({
  value: undefined as S2pSwitches | undefined,
  at: 0,
}));

/** The switches, read at most once per {@link SWITCHES_TTL_MS} per app. */
export async function currentSwitches(deps: Pick<S2pDeps, 'db' | 'state'>): Promise<S2pSwitches> {
  const cache = deps.state.get(switchesCache);
  const now = Date.now(); // real time on purpose: a cache age, not domain time
  if (cache.value && now - cache.at < SWITCHES_TTL_MS) return cache.value;
  const value = await readSwitches(deps.db);
  cache.value = value;
  cache.at = now;
  return value;
}

/** Changes the named switches (validated by the route); answers all of them. */
export async function setSwitches(
  deps: Pick<S2pDeps, 'db' | 'clock' | 'state'>,
  patch: Partial<S2pSwitches>,
): Promise<S2pSwitches> {
  const next = await deps.db.transaction(async (tx) => {
    const value = { ...(await readSwitches(tx)), ...patch };
    await writeSwitches(tx, value, deps.clock.now());
    return value;
  });
  deps.state.get(switchesCache).value = undefined;
  return next;
}
