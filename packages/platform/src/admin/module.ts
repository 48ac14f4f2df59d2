// The admin domain: the deliveries admin API and the dashboard page. (The clock's admin API is
// its own module in clock.ts.)
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { servePageScript } from '../core/bundles.ts';
import type { AppContext } from '../core/context.ts';
import type { DomainModule } from '../core/domain.ts';
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
    // The page itself is public; everything it shows comes from the admin API with the token.
    app.get('/admin', async (_req, reply) => {
      const nonce = randomBytes(16).toString('base64');
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .send(dashboardPage(nonce));
    });
  },
};
