import { appStateKey } from '../core/app-state.ts';
import type { DomainModule } from '../core/domain.ts';
import { registerWalletItemRenderer } from '../wallet/extensions.ts';
import { OFFER_SWEEP_MS, sweepExpiredOffers } from './check-link.ts';
import { CARD_STATE_KIND, GET_CARD_DATA_KIND, WALLET_ITEM_SOURCE } from './model.ts';
import { passListItem } from './pages/views.ts';
import { partnerCallHeaders } from './partner-calls.ts';
import { registerWalletCardsRoutes } from './routes.ts';

/** The app's timer of the expired offer sweep, while `cardport up` runs. */
const offerSweepKey = appStateKey('wallet-cards.offer-sweep', () => ({
  timer: undefined as NodeJS.Timeout | undefined,
}));

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
    registerWalletItemRenderer(ctx, WALLET_ITEM_SOURCE, passListItem);
    registerWalletCardsRoutes(app, ctx);
  },
  start(ctx) {
    const sweep = ctx.state.get(offerSweepKey);
    if (sweep.timer) return;
    // Several processes may share the database: the sweep's advisory lock lets one run at a time.
    sweep.timer = setInterval(() => {
      sweepExpiredOffers(ctx).catch((err: unknown) =>
        ctx.log.warn({ err: (err as Error).message }, 'expired offer sweep failed'),
      );
    }, OFFER_SWEEP_MS);
    sweep.timer.unref();
  },
  stop(ctx) {
    const sweep = ctx.state.get(offerSweepKey);
    if (sweep.timer) clearInterval(sweep.timer);
    sweep.timer = undefined;
  },
};
