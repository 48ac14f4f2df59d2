import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';

/**
 * A domain plugs into the two listeners: `main` (pages, Web Checkout, Wallet Server API, wallet,
 * admin) and `mtls` (the client-certificate listener of Save to Pay). Core never imports one.
 */
export interface DomainModule {
  name: string;
  /**
   * Modules this one needs mounted before it (a hook, a registry or routes they install):
   * buildApp refuses to build when one is missing or comes later.
   */
  dependsOn?: readonly string[];
  main?(app: FastifyInstance, ctx: AppContext): Promise<void> | void;
  mtls?(app: FastifyInstance, ctx: AppContext): Promise<void> | void;
  /** Background work (timers, workers) started by `cardport up` and stopped on shutdown. */
  start?(ctx: AppContext): Promise<void> | void;
  stop?(ctx: AppContext): Promise<void> | void;
}

/** Throws when a module's dependency is not mounted before it (buildApp calls it first). */
export function checkModuleOrder(modules: readonly DomainModule[]): void {
  const names = modules.map((m) => m.name);
  const mounted = new Set<string>();
  for (const m of modules) {
    for (const dep of m.dependsOn ?? []) {
      if (mounted.has(dep)) continue;
      const where = names.includes(dep) ? 'mounted after it' : 'not mounted';
      throw new Error(`module "${m.name}" depends on "${dep}", which is ${where}: mount "${dep}" first`);
    }
    mounted.add(m.name);
  }
}
