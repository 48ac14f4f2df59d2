import helmet from '@fastify/helmet';
import { apiListenersKey } from '../core/api-document.ts';
import type { DomainModule } from '../core/domain.ts';
import { registerSiteRoutes, type SiteOptions } from './routes.ts';

const sitePageHeaders = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' as const },
  crossOriginResourcePolicy: false,
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: false,
};

/** The site: landing page, docs (with the OpenAPI document every domain registers into), stylesheet. */
export function createSiteModule(options: SiteOptions = {}): DomainModule {
  return {
    name: 'site',
    async main(app, ctx) {
      // The landing page and the docs: a strict CSP and no framing, set once for the scope.
      await app.register(async (site) => {
        await site.register(helmet, sitePageHeaders);
        registerSiteRoutes(site, { ...ctx, listeners: () => ctx.state.get(apiListenersKey) }, options);
      });
    },
  };
}

export const siteModule: DomainModule = createSiteModule();
