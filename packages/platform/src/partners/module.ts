import type { DomainModule } from '../core/domain.ts';
import { mtlsGuard } from './mtls-guard.ts';
import { partnerRoutes } from './routes.ts';

/**
 * Partner onboarding: the admin API on the main listener, and on the mTLS listener the hook that
 * binds every request to the partner of its client certificate (`req.partner`).
 */
export const partnersModule: DomainModule = {
  name: 'partners',
  async main(app, ctx) {
    await app.register(partnerRoutes(ctx));
  },
  mtls(app, ctx) {
    app.decorateRequest('partner', null);
    app.addHook('onRequest', mtlsGuard(ctx.db));
  },
};
