// What the Save to Pay operations need from the app: each operation is `(deps, input)`.
import type { AppContext } from '../core/context.ts';

export type S2pDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'config' | 'delivery' | 'log' | 'state'>;

/** Kind of the durable notification jobs (WA_PROVISIONED, WA_PROVISION_FAILURE). */
export const NOTIFICATION_KIND = 's2p.notification';
/** Kind recorded for the synchronous WA_READY call. */
export const WA_READY_KIND = 's2p.wa_ready';
