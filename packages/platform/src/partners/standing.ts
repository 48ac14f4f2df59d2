// Whether a partner, or one of its certificates, may still be used: the one place every surface
// asks (mTLS guard, ATW cdata and AUTH tokens, welcome and initiate paths, Web Checkout, outbound
// delivery). Revocation is read from the database, through the lookup caches (lookup-cache.ts,
// binding-cache.ts) that hold a row at most 250 ms and are cleared in-process when a revocation
// commits, so a revocation made by another process sharing the database applies within 250 ms. Certificate expiry is judged on real time: authentication never follows the sandbox
// clock, which an operator may move forward or back to test schedules.
import { appStateKey } from '../core/app-state.ts';
import type { AppContext } from '../core/context.ts';
import type { Queryable } from '../core/db.ts';
import { cancelPendingDeliveries } from '../core/delivery-store.ts';
import { cachedLookup } from './lookup-cache.ts';
import * as store from './store.ts';

const partnerRow = (q: Queryable, partnerId: string) =>
  cachedLookup(q, 'partners', partnerId, () => store.findPartner(q, partnerId));

/** True once `notAfter` (epoch ms) has passed in real time. */
export function certificateExpired(notAfter: number, realNow: number = Date.now()): boolean {
  return notAfter <= realNow;
}

/** Why a certificate cannot be used any more, or null while it can. */
export function certificateRefusal(cert: {
  revokedAt: number | null;
  notAfter: number;
}): 'revoked' | 'expired' | null {
  if (cert.revokedAt !== null) return 'revoked';
  if (certificateExpired(cert.notAfter)) return 'expired';
  return null;
}

/** True when the partner exists and is not revoked. */
export async function partnerIsActive(q: Queryable, partnerId: string): Promise<boolean> {
  return (await partnerRow(q, partnerId))?.status === 'active';
}

/**
 * The outbound gate handed to core/delivery (its `refuse` option): a reason when nothing may be
 * sent to this partner, null otherwise. Unknown partners are left to the identity resolution.
 */
export async function outboundRefusal(q: Queryable, partnerId: string): Promise<string | null> {
  const partner = await partnerRow(q, partnerId);
  return partner?.status === 'revoked' ? `partner ${partnerId} is revoked` : null;
}

/** What runs in the revocation's transaction for a flow's pending work (see onPartnerRevoked). */
export type RevocationHandler = (tx: Queryable, partnerId: string, now: number) => Promise<unknown>;

/** The flows' revocation handlers of one app, by name. */
const revocationHandlers = appStateKey(
  'partners.revocationHandlers',
  () => new Map<string, RevocationHandler>(),
);

/**
 * Lets a flow end its pending work for a revoked partner (e.g. Save to Pay registrations in
 * flight) in the same transaction as the revocation. Registering a name again replaces it.
 */
export function onPartnerRevoked(
  ctx: Pick<AppContext, 'state'>,
  name: string,
  handler: RevocationHandler,
): void {
  ctx.state.get(revocationHandlers).set(name, handler);
}

/** Runs in revokePartner's transaction: cancels queued deliveries, then every flow's handler. */
export async function endPendingWork(
  deps: Pick<AppContext, 'state'>,
  tx: Queryable,
  partnerId: string,
  now: number,
): Promise<void> {
  await cancelPendingDeliveries(tx, { partnerId, reason: `not sent: partner ${partnerId} is revoked`, now });
  for (const handler of deps.state.get(revocationHandlers).values()) await handler(tx, partnerId, now);
}
