// How the flows plug into the phone. The wallet is part of the foundation (like partners/): flow
// domains may import this file and service.ts, never the other way round. They add tabs (Scan,
// Payments, …) and renderers for their items in the card list through the app's registry
// (shell.ts, re-exported here), and pages inside the phone frame.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { PlatformError } from '../core/errors.ts';
import type { Markup } from '../core/html.ts';
import type { PagePolicy } from '../core/page-policy.ts';
import { walletCsrfToken } from './csrf.ts';
import { walletPage } from './pages/layout.ts';
import type { WalletSession } from './service.ts';
import * as service from './service.ts';
import { walletShell } from './shell.ts';

export type WalletExtensionDeps = Pick<AppContext, 'db' | 'clock' | 'keys' | 'state'>;

/** The session cookie: HttpOnly, SameSite=Lax, scoped to /wallet. Its value is the bearer token. */
export const sessionCookieName = 'cardport_wallet';

export {
  registerWalletItemRenderer,
  registerWalletTab,
  type WalletItemRenderer,
  type WalletTabSpec,
} from './shell.ts';

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  return header.slice(7).trim() || undefined;
}

/**
 * The session cookie's value, as @fastify/cookie parsed it (core/http.ts registers it): percent-
 * decoded when it decodes, as sent when it does not; the first of duplicate names wins.
 */
export function cookieToken(req: FastifyRequest): string | undefined {
  return req.cookies?.[sessionCookieName] || undefined;
}

/** The device API's session: `Authorization: Bearer <token>` or the session cookie. */
export async function walletApiSession(
  deps: WalletExtensionDeps,
  req: FastifyRequest,
): Promise<WalletSession> {
  const token = bearerToken(req) ?? cookieToken(req);
  if (!token) {
    throw new PlatformError(
      'UNAUTHORIZED',
      'sign in first: POST /wallet/api/sessions {"email"} and send Authorization: Bearer <token>',
    );
  }
  return service.authenticate(deps.db, deps.clock, token);
}

/** A page's session from the cookie, or undefined (the caller redirects to /wallet?next=…). */
export async function walletPageSession(
  deps: WalletExtensionDeps,
  req: FastifyRequest,
): Promise<WalletSession | undefined> {
  const token = cookieToken(req);
  if (!token) return undefined;
  try {
    return await service.authenticate(deps.db, deps.clock, token);
  } catch {
    return undefined;
  }
}

/**
 * The session's CSRF token (csrf.ts): every form of a flow's wallet page that posts with the cookie
 * carries it (`csrfInput(token)`); page scripts read `<meta name="cardport-csrf">` (renderWalletPage
 * puts it there) and send it as `X-CSRF-Token`.
 */
export function walletCsrfTokenOf(deps: WalletExtensionDeps, session: WalletSession): string {
  return walletCsrfToken(deps, session.id);
}

export { csrfInput } from './csrf.ts';

/** Where a page without a session sends the browser: sign in, then come back. */
export function signInRedirect(reply: FastifyReply, returnTo: string): FastifyReply {
  return reply.redirect(`/wallet?${new URLSearchParams({ next: returnTo })}`, 303);
}

// Wallet pages run only their own scripts and styles; card art may come from partners' servers.
export const walletContentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The wallet's page scope: every HTML answer under /wallet (any flow's wallet page). */
export const walletPagePolicy: PagePolicy = {
  prefix: '/wallet',
  contentSecurityPolicy: walletContentSecurityPolicy,
  cacheControl: 'no-store',
};

/** A wallet page; its headers are the wallet's page policy (registered by wallet/routes.ts). */
export function sendWalletPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** A signed-in page inside the phone frame, with the header, device switcher and tab bar. */
export async function renderWalletPage(
  deps: WalletExtensionDeps,
  session: WalletSession,
  options: { title: string; tab: string; path: string; body: Markup; head?: Markup },
): Promise<string> {
  return walletPage({
    title: options.title,
    now: deps.clock.now(),
    body: options.body,
    ...(options.head ? { head: options.head } : {}),
    signedIn: {
      account: session.account,
      device: session.device,
      devices: await service.listDevices(deps.db, session.account.userId),
      path: options.path,
      tab: options.tab,
      csrfToken: walletCsrfToken(deps, session.id),
      extraTabs: walletShell(deps).tabs(),
    },
  });
}
