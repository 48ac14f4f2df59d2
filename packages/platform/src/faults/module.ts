// Fault injection per partner (issue 14): installs the delivery module's fault hook and mounts
// the admin API. The inbound half is a preHandler each API family adds to its scope
// (`inboundFaults` in service.ts).
import type { DomainModule } from '../core/domain.ts';
import { registerFaultRoutes } from './routes.ts';
import { deliveryFaults } from './service.ts';

export const faultsModule: DomainModule = {
  name: 'faults',
  main(app, ctx) {
    ctx.delivery.setFaults(deliveryFaults(ctx.state, ctx.db));
    registerFaultRoutes(app, ctx);
  },
};
