import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './core/context.ts';
import type { DomainModule } from './core/domain.ts';
import { adminTokenFromHome } from './core/home.ts';
import { adminGuard, createHttpApp } from './core/http.ts';
import { domains } from './domains.ts';

export type AppDeps = Omit<AppContext, 'requireAdmin'> & {
  /** The admin bearer token; read from the home folder when absent. */
  adminToken?: string;
  /** Domains to mount; all of them by default (tests may mount fewer). */
  modules?: DomainModule[];
};

export interface App {
  ctx: AppContext;
  main: FastifyInstance;
  mtls: FastifyInstance;
  modules: DomainModule[];
}

/** Builds both listeners and every domain, without listening or starting background work. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { adminToken, modules = domains, ...rest } = deps;
  const ctx: AppContext = {
    ...rest,
    requireAdmin: adminGuard(adminToken ?? adminTokenFromHome(rest.config.home)),
  };
  const main = createHttpApp({ logger: ctx.log });
  await main.register(formbody);
  const mtls = createHttpApp({
    logger: ctx.log,
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
  main.get('/healthz', async () => ({ status: 'ok' }));
  mtls.get('/healthz', async () => ({ status: 'ok' }));
  for (const m of modules) {
    if (m.main) await m.main(main, ctx);
    if (m.mtls) await m.mtls(mtls, ctx);
  }
  return { ctx, main, mtls, modules };
}
