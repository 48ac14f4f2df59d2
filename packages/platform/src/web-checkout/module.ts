import type { AppContext } from '../core/context.ts';
import type { DomainModule } from '../core/domain.ts';
import { registerWebCheckoutRoutes } from './routes.ts';
import {
  credentialPurgeIntervalMs,
  healthProbeIntervalMs,
  listHealthProbeTargets,
  probeServiceHealth,
  purgeExpiredCredentials,
} from './service.ts';
import { registerPaymentsTab, registerWebCheckoutWalletRoutes } from './wallet-routes.ts';

// One periodic prober per running app (tests run several apps in one process).
const timers = new WeakMap<AppContext, NodeJS.Timeout[]>();

/** Web Checkout (PROTOCOLS.md 4): Server API, checkout UI, the wallet's Payments tab, health probes. */
export const webCheckoutModule: DomainModule = {
  name: 'web-checkout',
  dependsOn: ['wallet', 'tsp'],
  main(app, ctx) {
    registerPaymentsTab();
    registerWebCheckoutRoutes(app, ctx);
    registerWebCheckoutWalletRoutes(app, ctx);
  },
  start(ctx) {
    // Periodic bidirectional health checks of every service with a registered health URL.
    const timer = setInterval(() => {
      void (async () => {
        for (const serviceId of await listHealthProbeTargets(ctx.db)) {
          await probeServiceHealth(ctx, serviceId, 'scheduled').catch((err: unknown) =>
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
    timers.set(ctx, [timer, purge]);
  },
  stop(ctx) {
    for (const t of timers.get(ctx) ?? []) clearInterval(t);
    timers.delete(ctx);
  },
};
