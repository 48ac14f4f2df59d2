import { appStateKey } from '../core/app-state.ts';
import type { DomainModule } from '../core/domain.ts';
import { onPartnerRevoked } from '../partners/standing.ts';
import { registerS2pApi } from './api-routes.ts';
import { NOTIFICATION_KIND } from './deps.ts';
import { failStalledProvisioning } from './provisioning.ts';
import { registerS2pRoutes } from './routes.ts';
import { failRegistrationsOfRevokedPartner } from './store.ts';

const SWEEP_MS = 30_000;
// The app's provisioning sweep, while started.
const sweepState = appStateKey('save-to-pay.sweep', () => ({
  timer: undefined as NodeJS.Timeout | undefined,
}));

/**
 * Save to Pay: the partner API on the mTLS listener (/ext/v1), the welcome page, s2p.js, the
 * wallet's Scan and Mailbox tabs and device API, and the partner notifications. In the
 * background, registrations whose phone never reported back fail after a while.
 */
export const saveToPayModule: DomainModule = {
  name: 'save-to-pay',
  // Not `partners`: the S2P API binds the client certificate to its partner in its own scope.
  dependsOn: ['wallet', 'tsp'],
  main(app, ctx) {
    ctx.delivery.registerKind(NOTIFICATION_KIND, {});
    onPartnerRevoked(ctx, 'save-to-pay', failRegistrationsOfRevokedPartner);
    registerS2pRoutes(app, ctx);
  },
  mtls(app, ctx) {
    return registerS2pApi(app, ctx);
  },
  start(ctx) {
    const sweep = ctx.state.get(sweepState);
    if (sweep.timer) return;
    sweep.timer = setInterval(() => {
      failStalledProvisioning(ctx).catch((err: unknown) =>
        ctx.log.warn({ err: (err as Error).message }, 'S2P provisioning sweep failed'),
      );
    }, SWEEP_MS);
    sweep.timer.unref();
  },
  stop(ctx) {
    const sweep = ctx.state.get(sweepState);
    if (sweep.timer) clearInterval(sweep.timer);
    sweep.timer = undefined;
  },
};
