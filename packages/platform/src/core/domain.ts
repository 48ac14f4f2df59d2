import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';

/**
 * A domain plugs into the two listeners: `main` (pages, Web Checkout, Wallet Server API, wallet,
 * admin) and `mtls` (the client-certificate listener of Save to Pay). Core never imports one.
 */
export interface DomainModule {
  name: string;
  main?(app: FastifyInstance, ctx: AppContext): Promise<void> | void;
  mtls?(app: FastifyInstance, ctx: AppContext): Promise<void> | void;
  /** Background work (timers, workers) started by `cardport up` and stopped on shutdown. */
  start?(ctx: AppContext): Promise<void> | void;
  stop?(ctx: AppContext): Promise<void> | void;
}
