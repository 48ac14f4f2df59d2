import type { DomainModule } from '../core/domain.ts';
import { registerTspRoutes } from './routes.ts';

/** The simulated card-network token service: public key, test cards, cryptogram validation. */
export const tspModule: DomainModule = {
  name: 'tsp',
  main(app, ctx) {
    registerTspRoutes(app, ctx);
  },
};
