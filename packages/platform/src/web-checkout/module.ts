import { appStateKey } from '../core/app-state.ts';
import type { DomainModule } from '../core/domain.ts';
import { claimSweepRound } from '../core/sweep.ts';
import { credentialPurgeIntervalMs, healthProbeIntervalMs } from './deps.ts';
import { listHealthProbeTargets, probeServiceHealth } from './health.ts';
import { registerWebCheckoutRoutes } from './routes.ts';
import { purgeExpiredCredentials } from './server-api.ts';
import { registerPaymentsTab, registerWebCheckoutWalletRoutes } from './wallet-routes.ts';

// The periodic prober and purge of one running app (tests run several apps in one process).
const timersKey = appStateKey('web-checkout.timers', () => ({ intervals: [] as NodeJS.Timeout[] }));

/** Web Checkout (PROTOCOLS.md 4): Server API, checkout UI, the wallet's Payments tab, health probes. */
export const webCheckoutModule: DomainModule = {
  name: 'web-checkout',
  dependsOn: ['wallet', 'tsp'],
  main(app, ctx) {
    registerPaymentsTab(ctx);
    registerWebCheckoutRoutes(app, ctx);
    registerWebCheckoutWalletRoutes(app, ctx);
  },
  start(ctx) {
    // Periodic bidirectional health checks of every service with a registered health URL.
    const timer = setInterval(() => {
      void (async () => {
        if (!(await claimSweepRound(ctx.db, 'web-checkout.health-probes', healthProbeIntervalMs, Date.now())))
          return;
        for (const serviceId of await listHealthProbeTargets(ctx.db)) {
          await probeServiceHealth(ctx, { serviceId, trigger: 'scheduled' }).catch((err: unknown) =>
            ctx.log.warn({ err, serviceId }, 'web checkout health probe failed'),
          );
        }
      })().catch((err: unknown) => ctx.log.warn({ err }, 'web checkout health probes failed'));
    }, healthProbeIntervalMs);
    timer.unref();
    // Credentials are stored only temporarily (seed 004): delete them once expired.
    const purge = setInterval(() => {
      purgeExpiredCredentials(ctx).catch((err: unknown) =>
        ctx.log.warn({ err }, 'web checkout credential purge failed'),
      );
    }, credentialPurgeIntervalMs);
    purge.unref();
    ctx.state.get(timersKey).intervals.push(timer, purge);
  },
  stop(ctx) {
    const timers = ctx.state.get(timersKey);
    for (const t of timers.intervals.splice(0)) clearInterval(t);
  },
};
