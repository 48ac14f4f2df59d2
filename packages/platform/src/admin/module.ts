// The admin domain: the deliveries admin API and the dashboard page. (The clock's admin API is
// its own module in clock.ts.)
import type { FastifyInstance } from 'fastify';
import { servePageScript } from '../core/bundles.ts';
import type { AppContext } from '../core/context.ts';
import type { DomainModule } from '../core/domain.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import { registerConsoleRoutes } from './console-routes.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { registerDeliveryRoutes } from './routes.ts';

export const adminModule: DomainModule = {
  name: 'admin',
  main(app: FastifyInstance, ctx: AppContext) {
    registerDeliveryRoutes(app, ctx);
    registerConsoleRoutes(app, ctx);
    servePageScript(
      app,
      ctx.state,
      '/admin/assets/dashboard.js',
      new URL('./pages/dashboard.browser.ts', import.meta.url),
    );
    // The dashboard's one policy: its script and inline style run by a nonce fresh for every answer.
    registerPagePolicy(app, {
      prefix: '/admin',
      contentSecurityPolicy: (nonce) =>
        `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
      referrerPolicy: 'no-referrer',
      cacheControl: 'no-store',
    });
    // The page itself is public; everything it shows comes from the admin API with the token.
    app.get('/admin', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(dashboardPage(reply.pageNonce)),
    );
  },
};
