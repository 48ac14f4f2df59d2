import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiListenersKey } from './core/api-document.ts';
import { AppState } from './core/app-state.ts';
import type { Clock, SandboxClock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import type { AppContext } from './core/context.ts';
import type { Db } from './core/db.ts';
import { createDelivery } from './core/delivery.ts';
import { checkModuleOrder, type DomainModule } from './core/domain.ts';
import { adminGuard, createHttpApp } from './core/http.ts';
import type { KeyStore } from './core/keystore.ts';
import type { Logger } from './core/logger.ts';
import { loadSandboxPki } from './core/pki.ts';
import { domains } from './domains.ts';
import { resolveOutboundIdentity } from './partners/service.ts';
import { outboundRefusal } from './partners/standing.ts';

export type AppDeps = Omit<AppContext, 'requireAdmin' | 'state'> & {
  /** The admin bearer token (runtime.ts reads it from the home folder; tests pass their own). */
  adminToken: string;
  /** Domains to mount; all of them by default (tests may mount fewer). */
  modules?: DomainModule[];
};

export interface App {
  ctx: AppContext;
  main: FastifyInstance;
  mtls: FastifyInstance;
  modules: DomainModule[];
}

/**
 * Builds both listeners and every domain, without listening or starting background work, and
 * without side effects: nothing is read from or written to the home folder or the environment.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { adminToken, modules = domains, ...rest } = deps;
  checkModuleOrder(modules);
  const ctx: AppContext = {
    ...rest,
    requireAdmin: adminGuard(adminToken),
    state: new AppState(),
  };
  const main = createHttpApp({ logger: ctx.log, state: ctx.state });
  await main.register(formbody);
  const mtls = createHttpApp({
    logger: ctx.log,
    state: ctx.state,
    https: {
      key: ctx.pki.serverKeyPem,
      cert: ctx.pki.serverCertPem,
      ca: [ctx.pki.rootCaCertPem],
      requestCert: true,
      // Unauthenticated clients are refused in the TLS handshake itself.
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  });
  // Both listeners' declared routes make the one OpenAPI document (core/api-document.ts).
  ctx.state.get(apiListenersKey).push(
    { app: main },
    {
      app: mtls,
      serverUrl: () => mtlsBaseUrl(ctx.config, mtls),
      serverDescription: 'The mutual TLS listener (Save to Pay): a client certificate is required',
    },
  );
  main.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Answers 200 once the platform is ready',
        tags: ['platform'],
        response: {
          200: z
            .object({ status: z.literal('ok') })
            .meta({ description: 'Ready', examples: [{ status: 'ok' }] }),
        },
      },
    },
    async () => ({ status: 'ok' }),
  );
  mtls.get('/healthz', async () => ({ status: 'ok' }));
  for (const m of modules) {
    if (m.main) await m.main(main, ctx);
    if (m.mtls) await m.mtls(mtls, ctx);
  }
  return { ctx, main, mtls, modules };
}

export interface AssembleOptions {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  keys: KeyStore;
  adminToken: string;
  sandboxClock?: SandboxClock;
  modules?: DomainModule[];
  /** Names of the mTLS server certificate (127.0.0.1 and localhost by default). */
  hostnames?: string[];
}

/**
 * What `cardport up` and the test platforms share: the sandbox PKI, the delivery module wired to
 * the partners' outbound identities, and buildApp. The database must be migrated already.
 */
export async function assembleApp(options: AssembleOptions): Promise<App> {
  const { db, keys, clock, log, hostnames = ['127.0.0.1', 'localhost'], ...rest } = options;
  const pki = await loadSandboxPki(db, keys, { hostnames, clock });
  const delivery = createDelivery({
    db,
    clock,
    log,
    resolveIdentity: (partnerId) => resolveOutboundIdentity(db, keys, partnerId),
    refuse: (partnerId) => outboundRefusal(db, partnerId),
  });
  return buildApp({ ...rest, db, keys, clock, log, pki, delivery });
}

/** The mTLS listener's base URL: its bound port once it listens, the configured one before. */
function mtlsBaseUrl(config: Config, mtls: FastifyInstance): string {
  const address = mtls.server.address();
  const port = address && typeof address === 'object' ? address.port : config.mtlsPort;
  const host = new URL(config.publicUrl).hostname;
  return `https://${host}:${port}`;
}
