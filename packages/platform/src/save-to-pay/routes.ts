// Save to Pay on the main listener: the welcome page and its live status, the QR's initiate URL,
// s2p.js, the wallet's Scan and Mailbox tabs and device API, and the admin switches and scan.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serveBrowserBundle, servePageScript } from '../core/bundles.ts';
import type { AppContext } from '../core/context.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { html } from '../core/html.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { parseInput } from '../core/validation.ts';
import {
  registerWalletTab,
  renderWalletPage,
  sendWalletPage,
  signInRedirect,
  type WalletExtensionDeps,
  walletApiSession,
  walletPageSession,
} from '../wallet/extensions.ts';
import { registerS2pAdminRoutes } from './admin-routes.ts';
import type { S2pDeps } from './deps.ts';
import { listMailbox } from './mailbox.ts';
import { mailboxBody, scanBody, walletHead } from './pages/wallet.ts';
import { unknownWelcomePage, welcomePage } from './pages/welcome.ts';
import { cancelRegistration, initiateRegistration, provisionRegistration } from './provisioning.ts';
import {
  MAX_QR_IMAGE_PIXELS,
  MAX_QR_IMAGE_SIDE,
  pngDimensions,
  pngFromDataUrl,
  qrDecoderKey,
  qrImageWithinLimits,
  qrPngDataUrl,
} from './qr.ts';
import { initiateUrlFor, isPartnerRevokedError, openWelcome } from './welcome.ts';

// The welcome page is embedded by partners' pages (s2p.js iframe): any ancestor may frame it.
const welcomeCsp = [
  "default-src 'self'",
  "img-src 'self' data: https: http:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  'frame-ancestors *',
].join('; ');

const icon = html`<svg class="wallet-tab-icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M4 8V5.5A1.5 1.5 0 0 1 5.5 4H8M16 4h2.5A1.5 1.5 0 0 1 20 5.5V8M20 16v2.5a1.5 1.5 0 0 1-1.5 1.5H16M8 20H5.5A1.5 1.5 0 0 1 4 18.5V16M4 12h16"/></svg>`;
const mailIcon = html`<svg class="wallet-tab-icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="m3.5 7 8.5 6 8.5-6"/></svg>`;

function isAndroidMobile(req: FastifyRequest): boolean {
  const ua = req.headers['user-agent'] ?? '';
  return /Android/i.test(ua) && /Mobile/i.test(ua);
}

// Tokens are longer than Fastify's 100-character limit on path parameters: wildcard routes.
// Ours are under 300 characters; anything over 1,024 is no token of ours (a 404, never a 500).
const MAX_TOKEN_PATH = 1100;
function tokenOf(req: FastifyRequest): { token: string; status: boolean } {
  const rest = (req.params as Record<string, unknown>)['*'];
  if (typeof rest !== 'string' || rest === '' || rest.length > MAX_TOKEN_PATH) throw notFound('welcome link');
  const status = rest.endsWith('/status');
  const token = status ? rest.slice(0, -'/status'.length) : rest;
  if (token === '' || token.includes('/')) throw notFound('welcome link');
  return { token, status };
}
const regParams = z.object({ regId: z.string().min(1).max(128) });

function bodyField(body: unknown, field: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
}

export function registerS2pRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps: S2pDeps & WalletExtensionDeps = ctx;

  registerWalletTab(deps, { id: 'scan', label: 'Scan', href: '/wallet/s2p/scan', icon, order: 30 });
  registerWalletTab(deps, {
    id: 'mailbox',
    label: 'Mailbox',
    href: '/wallet/s2p/mailbox',
    icon: mailIcon,
    order: 70,
  });

  serveBrowserBundle(app, ctx.state, '/s2p/libs/js/s2p.min.js', 's2p.ts');
  servePageScript(
    app,
    ctx.state,
    '/s2p/v1/assets/welcome.js',
    new URL('./pages/welcome.browser.ts', import.meta.url),
  );
  serveStaticFiles(app, {
    root: new URL('./pages/', import.meta.url),
    prefix: '/s2p/v1/assets/',
    files: { 's2p.css': 'no-cache' },
  });
  servePageScript(
    app,
    ctx.state,
    '/wallet/s2p/assets/scan.js',
    new URL('./pages/scan.browser.ts', import.meta.url),
  );

  // --- welcome page ----------------------------------------------------------------------------

  registerPagePolicy(app, {
    prefix: '/s2p/v1/welcome/',
    contentSecurityPolicy: welcomeCsp,
    referrerPolicy: 'no-referrer',
    cacheControl: 'no-store',
  });

  app.get('/s2p/v1/welcome/*', async (req, reply) => {
    const { token, status } = tokenOf(req);
    if (status) {
      reply.header('cache-control', 'no-store');
      const welcome = await openWelcome(deps, token); // a revoked partner's: 403
      if (!welcome) throw notFound('welcome link');
      // The row just read holds the last refused scan (refused-scans.ts); only a waiting one shows it.
      const refused =
        welcome.state === 'waiting' ? (welcome.registration.refusedScan ?? undefined) : undefined;
      return {
        state: welcome.state,
        ...(welcome.errorCode ? { errorCode: welcome.errorCode } : {}),
        ...(refused ? { refusedScan: refused } : {}),
      };
    }
    reply.type('text/html; charset=utf-8');
    const welcome = await openWelcome(deps, token).catch((err: unknown) => {
      if (isPartnerRevokedError(err)) return null;
      throw err;
    });
    if (welcome === null) return reply.code(403).send(unknownWelcomePage());
    if (!welcome) return reply.code(404).send(unknownWelcomePage());
    const initiateUrl = initiateUrlFor(deps, token);
    return reply.send(
      welcomePage({
        registration: welcome.registration,
        state: welcome.state,
        token,
        initiateUrl,
        qrDataUrl: await qrPngDataUrl(initiateUrl),
        android: isAndroidMobile(req),
        ...(welcome.errorCode ? { errorCode: welcome.errorCode } : {}),
      }),
    );
  });

  // What a phone does with the QR's URL outside the wallet: hand it to the wallet app.
  app.get('/s2p/v1/initiate/*', async (req, reply) => {
    const { token } = tokenOf(req);
    await openWelcome(deps, token); // a revoked partner's code goes no further: 403
    const url = initiateUrlFor(deps, token);
    return reply.redirect(`/wallet/s2p/scan?${new URLSearchParams({ code: url })}`, 303);
  });

  // --- wallet pages ------------------------------------------------------------------------------

  app.get('/wallet/s2p/scan', async (req, reply) => {
    const session = await walletPageSession(deps, req);
    if (!session) return signInRedirect(reply, req.url);
    const code = (req.query as Record<string, unknown>)['code'];
    const prefill = typeof code === 'string' ? code.slice(0, 2048) : '';
    return sendWalletPage(
      reply,
      await renderWalletPage(deps, session, {
        title: 'Scan',
        tab: 'scan',
        path: '/wallet/s2p/scan',
        body: scanBody(prefill),
        head: walletHead,
      }),
    );
  });

  app.get('/wallet/s2p/mailbox', async (req, reply) => {
    const session = await walletPageSession(deps, req);
    if (!session) return signInRedirect(reply, req.url);
    return sendWalletPage(
      reply,
      await renderWalletPage(deps, session, {
        title: 'Mailbox',
        tab: 'mailbox',
        path: '/wallet/s2p/mailbox',
        body: mailboxBody(await listMailbox(deps, { account: session.account })),
        head: walletHead,
      }),
    );
  });

  // --- device API ----------------------------------------------------------------------------------

  app.post('/wallet/api/s2p/decode', async (req) => {
    await walletApiSession(deps, req);
    const image = bodyField(req.body, 'image');
    const png = typeof image === 'string' ? pngFromDataUrl(image) : undefined;
    if (!png)
      throw invalidInput('image must be a PNG data URL', [
        { field: 'image', reason: 'data:image/png;base64,…' },
      ]);
    const size = pngDimensions(png);
    if (!size) throw invalidInput('image is not a PNG', [{ field: 'image', reason: 'not a PNG' }]);
    // The header announces the size before anything is inflated: a 10 KB file can claim 8000×8000.
    if (!qrImageWithinLimits(png))
      throw invalidInput('image too large to scan', [
        {
          field: 'image',
          reason: `at most ${MAX_QR_IMAGE_SIDE}×${MAX_QR_IMAGE_SIDE} and ${MAX_QR_IMAGE_PIXELS / 1e6} megapixels`,
        },
      ]);
    const text = await ctx.state.get(qrDecoderKey).decode(png);
    if (!text)
      throw invalidInput('no QR code found in the image', [{ field: 'image', reason: 'no QR code' }]);
    return { text };
  });

  app.post('/wallet/api/s2p/initiate', async (req) => {
    const session = await walletApiSession(deps, req);
    const url = bodyField(req.body, 'url');
    if (typeof url !== 'string' || url.length > 4096)
      throw invalidInput('url is required', [{ field: 'url', reason: 'required string' }]);
    return initiateRegistration(deps, { session, url });
  });

  app.post('/wallet/api/s2p/registrations/:regId/provision', async (req) => {
    const session = await walletApiSession(deps, req);
    const { regId } = parseInput(regParams, req.params, 'path');
    const issuerBlob = bodyField(req.body, 'issuerBlob');
    if (typeof issuerBlob !== 'string') {
      throw invalidInput('issuerBlob is required', [{ field: 'issuerBlob', reason: 'required string' }]);
    }
    return provisionRegistration(deps, { session, regId, issuerBlob });
  });

  app.post('/wallet/api/s2p/registrations/:regId/cancel', async (req) => {
    const session = await walletApiSession(deps, req);
    const { regId } = parseInput(regParams, req.params, 'path');
    await cancelRegistration(deps, { session, regId });
    return { regId, outcome: 'FAILED', reason: 'CANCELED' };
  });

  app.get('/wallet/api/s2p/mailbox', async (req) => {
    const session = await walletApiSession(deps, req);
    return { messages: await listMailbox(deps, { account: session.account }) };
  });

  registerS2pAdminRoutes(app, ctx);
}
