import { clockModule } from './admin/clock.ts';
import { adminModule } from './admin/module.ts';
import type { DomainModule } from './core/domain.ts';
import { faultsModule } from './faults/module.ts';
import { partnersModule } from './partners/module.ts';
import { saveToPayModule } from './save-to-pay/module.ts';
import { siteModule } from './site/module.ts';
import { tspModule } from './tsp/index.ts';
import { verifyModule } from './verify/module.ts';
import { walletModule } from './wallet/module.ts';
import { walletCardsModule } from './wallet-cards/module.ts';
import { webCheckoutModule } from './web-checkout/module.ts';

/** Every domain, in mount order. Each is a folder under src/ with a `module.ts`. */
export const domains: DomainModule[] = [
  partnersModule,
  faultsModule,
  clockModule,
  adminModule,
  walletModule,
  tspModule,
  saveToPayModule,
  walletCardsModule,
  webCheckoutModule,
  verifyModule,
  siteModule,
];
