import type { DomainModule } from '../core/domain.ts';
import { registerWalletItemRenderer } from '../wallet/extensions.ts';
import { passListItem } from './pages/views.ts';
import { registerWalletCardsRoutes } from './routes.ts';
import {
  CARD_STATE_KIND,
  GET_CARD_DATA_KIND,
  OFFER_SWEEP_MS,
  partnerCallHeaders,
  sweepExpiredOffers,
  WALLET_ITEM_SOURCE,
} from './service.ts';

let sweep: NodeJS.Timeout | undefined;

/**
 * Add to Wallet and Server interaction (issue 4): link landing and checks, passes in the virtual
 * wallet, Send Card State and Get Card Data towards partners, the Samsung Server API.
 */
export const walletCardsModule: DomainModule = {
  name: 'wallet-cards',
  dependsOn: ['wallet'],
  main(app, ctx) {
    // PROTOCOLS.md 3.1: the AUTH token of each call is minted when it leaves, bound to its path.
    const prepare = (job: Parameters<typeof partnerCallHeaders>[1]) => partnerCallHeaders(ctx, job);
    ctx.delivery.registerKind(CARD_STATE_KIND, { prepare });
    ctx.delivery.registerKind(GET_CARD_DATA_KIND, { prepare });
    registerWalletItemRenderer(WALLET_ITEM_SOURCE, passListItem);
    registerWalletCardsRoutes(app, ctx);
  },
  start(ctx) {
    if (sweep) return;
    // Several processes may share the database: the sweep's advisory lock lets one run at a time.
    sweep = setInterval(() => {
      sweepExpiredOffers(ctx).catch((err: unknown) =>
        ctx.log.warn({ err: (err as Error).message }, 'expired offer sweep failed'),
      );
    }, OFFER_SWEEP_MS);
    sweep.unref();
  },
  stop() {
    if (sweep) clearInterval(sweep);
    sweep = undefined;
  },
};
