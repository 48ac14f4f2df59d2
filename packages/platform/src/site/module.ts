import type { DomainModule } from '../core/domain.ts';
import { registerSiteRoutes, type SiteOptions } from './routes.ts';

/** The site: landing page, docs (with the OpenAPI document every domain registers into), stylesheet. */
export function createSiteModule(options: SiteOptions = {}): DomainModule {
  return {
    name: 'site',
    main(app, ctx) {
      registerSiteRoutes(app, ctx, options);
    },
  };
}

export const siteModule: DomainModule = createSiteModule();
