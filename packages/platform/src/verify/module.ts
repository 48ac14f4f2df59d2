// The conformance kit's domain: the admin API that runs `cardport verify` inside the platform.
import type { DomainModule } from '../core/domain.ts';
import { registerVerifyRoutes } from './routes.ts';

export const verifyModule: DomainModule = {
  name: 'verify',
  main(app, ctx) {
    registerVerifyRoutes(app, ctx);
  },
};
