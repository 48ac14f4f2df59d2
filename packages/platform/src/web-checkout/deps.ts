// What Web Checkout's operations need from the app, and the lifetimes they share.
import type { AppContext } from '../core/context.ts';
import { keyRotationMs } from './keys.ts';

export type WebCheckoutDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'config' | 'delivery' | 'log'>;

/** Operations that use the transaction keys also need the app's state (the unsealed keys). */
export type WebCheckoutKeyDeps = WebCheckoutDeps & Pick<AppContext, 'state'>;

/** What the routes need on top (the admin guard). */
export type WebCheckoutRouteDeps = WebCheckoutKeyDeps & Pick<AppContext, 'requireAdmin'>;

/** A transaction must reach the checkout page and be answered within this time of its creation. */
export const transactionLifetimeMs = 30 * 60_000;
/** Credentials can be retrieved for this long after approval, then they are deleted. */
export const credentialLifetimeMs = 10 * 60_000;
/** Health probes of every service with a health URL, while `cardport up` runs. */
export const healthProbeIntervalMs = 15 * 60_000;
/** How often expired credentials are deleted while `cardport up` runs. */
export const credentialPurgeIntervalMs = 60_000;
export { keyRotationMs };

/** The source of the wallet items (test cards) this domain adds. */
export const walletItemSource = 'web-checkout';
