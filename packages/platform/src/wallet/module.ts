import type { DomainModule } from '../core/domain.ts';
import { registerWalletRoutes } from './routes.ts';

/** The virtual wallet: the phone's pages, its JSON automation API and its admin API. */
export const walletModule: DomainModule = {
  name: 'wallet',
  main(app, ctx) {
    registerWalletRoutes(app, ctx);
  },
};
