// HTTP of the virtual wallet: the phone's pages (/wallet, /wallet/app...: page-routes.ts), its
// JSON automation API (/wallet/api/...) and the admin API the CLI uses (/admin/v1/wallet/...:
// api-routes.ts). This file puts them under the wallet's request families and their CSRF checks.
import type { FastifyInstance } from 'fastify';
import { registerPlatformFamily } from '../core/http.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import { registerWalletAdminRoutes, registerWalletApiRoutes } from './api-routes.ts';
import { startsWalletSession, walletCsrfCheck } from './csrf.ts';
import { sessionCookieName, walletPagePolicy } from './extensions.ts';
import type { WalletDeps } from './http-support.ts';
import { registerWalletPageRoutes } from './page-routes.ts';

export function registerWalletRoutes(app: FastifyInstance, deps: WalletDeps): void {
  // The device API of every flow lives under /wallet/api/: JSON only, the platform envelope.
  // Both, and the wallet's pages, refuse cookie-borne state changes from other origins or without
  // the session's CSRF token (csrf.ts).
  const csrf = {
    sessionCookie: sessionCookieName,
    ownOrigins: () => [new URL(deps.config.publicUrl).origin],
    sessionToken: walletCsrfCheck(deps),
    startsSession: startsWalletSession,
  };
  registerPlatformFamily(app, '/wallet/api/', {
    jsonOnly: true,
    headers: ['authorization', 'cookie'],
    ...csrf,
  });
  registerPlatformFamily(app, '/wallet/', csrf);
  registerPagePolicy(app, walletPagePolicy);

  registerWalletApiRoutes(app, deps);
  registerWalletAdminRoutes(app, deps);
  registerWalletPageRoutes(app, deps);
}
