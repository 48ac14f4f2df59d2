import type { preHandlerAsyncHookHandler } from 'fastify';
import type { AppState } from './app-state.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { Delivery } from './delivery.ts';
import type { KeyStore } from './keystore.ts';
import type { Logger } from './logger.ts';
import type { SandboxPki } from './pki.ts';

/** What every domain plugin receives from buildApp. Nothing here knows a domain. */
export interface AppContext {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  keys: KeyStore;
  pki: SandboxPki;
  delivery: Delivery;
  /** preHandler admitting only the admin bearer token. */
  requireAdmin: preHandlerAsyncHookHandler;
  /** The sandbox clock when the app runs on one (admin can move it); undefined in fixed-clock tests. */
  sandboxClock?: import('./clock.ts').SandboxClock | undefined;
  /** This app's own state (caches, registries, timers): see core/app-state.ts. */
  state: AppState;
}
