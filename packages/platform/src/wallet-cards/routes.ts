// HTTP of Add to Wallet: the landing page of links and its check API, the wallet's add and pass
// pages and device API, the admin API behind `cardport wallet add-card|cards`, and the Samsung
// Server API (Update and Cancel Notification, PROTOCOLS.md 3.2) on the main listener.
import { readFileSync } from 'node:fs';
import {
  cancelNotificationSchema,
  parseUpdateNotificationLenient,
  parseWire,
  updateNotificationSchema,
  WALLET_SERVER_PATHS,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { serveBrowserBundle } from '../core/bundles.ts';
import type { AppContext } from '../core/context.ts';
import { invalidInput, isPlatformError, PlatformError } from '../core/errors.ts';
import { registerErrorFamily } from '../core/families.ts';
import { platformErrorHandler, platformRaw, registerPlatformFamily } from '../core/http.ts';
import { openapi } from '../core/openapi.ts';
import { addWarnings } from '../core/warnings.ts';
import { atwPartnerOf, inboundFaults } from '../faults/service.ts';
import { recordRequests } from '../partners/request-log.ts';
import {
  renderWalletPage,
  sendWalletPage,
  signInRedirect,
  walletApiSession,
  walletCsrfTokenOf,
  walletPageSession,
} from '../wallet/extensions.ts';
import { findAccountByEmail } from '../wallet/service.ts';
import { refuseServerCallIfStrict } from './compat.ts';
import { isLinkError, linkErrorReasons } from './errors.ts';
import { annotateWalletCardsOperations } from './openapi.ts';
import {
  addCardBody,
  errorBody,
  landingPage,
  offerPreview,
  passAssets,
  passPageBody,
} from './pages/views.ts';
import * as service from './service.ts';

const asset = (name: string) => readFileSync(new URL(`./pages/${name}`, import.meta.url), 'utf8');
const assets: Record<string, { type: string; body: string }> = {
  'landing.js': { type: 'text/javascript; charset=utf-8', body: asset('landing.js') },
  'pass.js': { type: 'text/javascript; charset=utf-8', body: asset('pass.js') },
  'passes.css': { type: 'text/css; charset=utf-8', body: asset('passes.css') },
};

const landingCsp = [
  "default-src 'self'",
  "img-src 'self' data: https: http:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Errors of this domain: the platform envelope plus `reason` for refused links. */
function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  if (isLinkError(err)) {
    reply.code(err.status).send({
      error: {
        code: err.code,
        reason: err.reason,
        message: err.message,
        ...(err.details ? { details: err.details } : {}),
      },
    });
    return;
  }
  platformErrorHandler(err, req, reply);
}

function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.trim();
  }
  return out;
}

function languagesOf(req: FastifyRequest): string[] {
  return (req.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
    .filter((l) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l))
    .slice(0, 10);
}

const checkLinkBody = z.strictObject({
  link: z.string().min(1).max(16_384),
  languages: z.array(z.string().max(35)).max(20).optional(),
});

const addCardAdminBody = z.strictObject({
  email: z.string().min(1).max(320),
  link: z.string().min(1).max(16_384),
  deviceId: z.string().min(1).max(64).optional(),
});

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = parseWire(schema, body ?? {});
  if (!r.ok)
    throw invalidInput(
      'invalid request',
      r.issues.map(({ field, reason }) => ({ field, reason })),
    );
  return r.value;
}

export function registerWalletCardsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps: service.WalletCardsDeps = ctx;

  // The "Add to Samsung Wallet" button for partner pages (packages/browser/src/add-to-wallet.ts).
  serveBrowserBundle(app, ctx.state, '/atw/libs/add-to-wallet.js', 'add-to-wallet.ts');

  for (const name of Object.keys(assets)) {
    app.get(`/atw/assets/${name}`, async (_req, reply) => {
      const a = assets[name] as { type: string; body: string };
      return reply.type(a.type).header('cache-control', 'no-cache').send(a.body);
    });
  }

  registerErrorFamily(app, { prefix: '/atw/api/', handler: errorHandler, raw: platformRaw, jsonOnly: true });
  registerPlatformFamily(app, '/wltex/', {
    jsonOnly: true,
    headers: ['authorization', 'x-smcs-partner-id', 'x-request-id'],
  });
  app.register(async (scope) => {
    recordRequests(scope, ctx, 'atw', {
      only: (url) => /^\/(atw\/(v1|v3|api)\/|wlt\/|([a-z]{2}\/)?wltex\/)/.test(url),
    });
    scope.setErrorHandler(errorHandler);
    scope.addHook('preHandler', inboundFaults(ctx.db, 'atw', atwPartnerOf));

    // ---- Landing page of links (PROTOCOLS.md 2.1) ----------------------------------------------
    const landing = async (_req: FastifyRequest, reply: FastifyReply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', landingCsp)
        .header('referrer-policy', 'no-referrer')
        .send(landingPage());
    for (const path of [
      '/atw/v1/:cardId',
      '/atw/v3/:cardId',
      '/atw/v3/:certificateId/:cardId',
      '/wlt/:productId/:cardId',
    ]) {
      scope.get(path, landing);
    }

    async function withPreview(offer: service.OfferView, languages: readonly string[]) {
      const addUrl = `/wallet/app/add-card?offer=${encodeURIComponent(offer.offerId)}`;
      const svg = await QRCode.toString(`${ctx.config.publicUrl}${addUrl}`, { type: 'svg', margin: 1 });
      return {
        ...offer,
        previewHtml: offerPreview(offer, languages).toString(),
        addUrl,
        addQr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
      };
    }

    scope.post('/atw/api/links/check', async (req) => {
      const body = parseBody(checkLinkBody, req.body);
      const offer = await service.checkLink(deps, body.link);
      addWarnings(req, offer.deviations);
      return withPreview(offer, body.languages ?? languagesOf(req));
    });

    scope.get('/atw/api/offers/:offerId', async (req) => {
      const { offerId } = req.params as { offerId: string };
      return withPreview(await service.getOffer(deps, offerId), languagesOf(req));
    });

    // ---- The wallet's pages ----------------------------------------------------------------------
    scope.get('/wallet/app/add-card', async (req, reply) => {
      const offerId = String((req.query as Record<string, unknown>)['offer'] ?? '');
      const session = await walletPageSession(deps, req);
      if (!session) return signInRedirect(reply, `/wallet/app/add-card?offer=${encodeURIComponent(offerId)}`);
      const pagePath = '/wallet/app/add-card';
      let body: ReturnType<typeof addCardBody>;
      let status = 200;
      try {
        const offer = await service.getOffer(deps, offerId);
        body = addCardBody(offer, session.device.name, languagesOf(req), walletCsrfTokenOf(deps, session));
      } catch (err) {
        if (!isPlatformError(err) || err.status >= 500) throw err;
        body = errorBody('Cannot add this card', err.message, isLinkError(err) ? err.reason : err.code);
        status = err.status;
      }
      const page = await renderWalletPage(deps, session, {
        title: 'Add to wallet',
        tab: 'cards',
        path: pagePath,
        body,
        head: passAssets,
      });
      return sendWalletPage(reply, page, status);
    });

    scope.post('/wallet/app/add-card', async (req, reply) => {
      const offerId = formValues(req.body)['offer'] ?? '';
      const session = await walletPageSession(deps, req);
      if (!session) return signInRedirect(reply, `/wallet/app/add-card?offer=${encodeURIComponent(offerId)}`);
      try {
        const added = await service.addCard(deps, {
          offerId,
          userId: session.account.userId,
          deviceId: session.device.deviceId,
        });
        const first = added[0];
        return reply.redirect(
          first ? `/wallet/app/passes/${first.walletCardId}?added=1` : '/wallet/app',
          303,
        );
      } catch (err) {
        if (!isPlatformError(err) || err.status >= 500) throw err;
        const page = await renderWalletPage(deps, session, {
          title: 'Add to wallet',
          tab: 'cards',
          path: '/wallet/app/add-card',
          body: errorBody('Cannot add this card', err.message, isLinkError(err) ? err.reason : err.code),
          head: passAssets,
        });
        return sendWalletPage(reply, page, err.status);
      }
    });

    scope.get('/wallet/app/passes/:walletCardId', async (req, reply) => {
      const { walletCardId } = req.params as { walletCardId: string };
      const session = await walletPageSession(deps, req);
      if (!session) return signInRedirect(reply, `/wallet/app/passes/${encodeURIComponent(walletCardId)}`);
      const card = await service.getWalletCard(ctx.db, session.account.userId, walletCardId);
      const barcode = await service.renderBarcode(card.attributes);
      const added = (req.query as Record<string, unknown>)['added'] !== undefined;
      const page = await renderWalletPage(deps, session, {
        title: String(card.attributes['title'] ?? 'Pass'),
        tab: 'cards',
        path: `/wallet/app/passes/${walletCardId}`,
        body: passPageBody(
          card,
          barcode,
          walletCsrfTokenOf(deps, session),
          added ? 'Added to your wallet.' : undefined,
        ),
        head: passAssets,
      });
      return sendWalletPage(reply, page);
    });

    scope.post('/wallet/app/passes/:walletCardId/delete', async (req, reply) => {
      const { walletCardId } = req.params as { walletCardId: string };
      const session = await walletPageSession(deps, req);
      if (!session) return signInRedirect(reply, '/wallet/app');
      await service.deleteWalletCard(deps, { userId: session.account.userId, walletCardId });
      return reply.redirect('/wallet/app', 303);
    });

    // ---- Device API (Bearer or cookie) -----------------------------------------------------------
    scope.get('/wallet/api/passes', async (req) => {
      const s = await walletApiSession(deps, req);
      return { cards: await service.listWalletCards(ctx.db, s.account.userId, { includeRemoved: true }) };
    });

    scope.post('/wallet/api/passes', async (req, reply) => {
      const s = await walletApiSession(deps, req);
      const { offerId } = parseBody(z.strictObject({ offerId: z.string().min(1).max(64) }), req.body);
      const cards = await service.addCard(deps, {
        offerId,
        userId: s.account.userId,
        deviceId: s.device.deviceId,
      });
      return reply.code(201).send({ cards });
    });

    scope.delete('/wallet/api/passes/:walletCardId', async (req) => {
      const s = await walletApiSession(deps, req);
      const { walletCardId } = req.params as { walletCardId: string };
      return service.deleteWalletCard(deps, { userId: s.account.userId, walletCardId });
    });

    // ---- Admin API (cardport wallet add-card | cards) ------------------------------------------
    scope.post('/admin/v1/wallet-cards', { preHandler: ctx.requireAdmin }, async (req, reply) => {
      const body = parseBody(addCardAdminBody, req.body);
      const cards = await service.addCardFromLink(deps, body);
      return reply.code(201).send({ cards });
    });

    scope.get('/admin/v1/wallet-cards', { preHandler: ctx.requireAdmin }, async (req) => {
      const email = String((req.query as Record<string, unknown>)['email'] ?? '');
      if (!email) throw invalidInput('email is required', [{ field: 'email', reason: 'required' }]);
      const account = await findAccountByEmail(ctx.db, email);
      if (!account) {
        throw new PlatformError('NOT_FOUND', 'no wallet account has this email', {
          details: [{ field: 'email', reason: 'no account' }],
        });
      }
      return {
        email: account.email,
        cards: await service.listWalletCards(ctx.db, account.userId, { includeRemoved: true }),
      };
    });

    // ---- Samsung Server API (PROTOCOLS.md 3.2) -------------------------------------------------
    const toFastify = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');
    const authOf = (req: FastifyRequest): service.PartnerCallAuth => {
      const h = req.headers;
      const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
      return {
        authorization: one(h.authorization),
        partnerIdHeader: one(h['x-smcs-partner-id']),
        requestId: one(h['x-request-id']),
        method: req.method,
        path: req.url.split('?')[0] ?? req.url,
        cardId: (req.params as { cardId: string }).cardId,
      };
    };
    const result = (reply: FastifyReply, r: service.NotificationResult) =>
      reply.code(r.changed > 0 ? 200 : 204).send();

    for (const path of WALLET_SERVER_PATHS.updateNotification) {
      scope.post(toFastify(path), async (req, reply) => {
        const registration = await service.authenticatePartnerCall(deps, authOf(req));
        const parsed = parseUpdateNotificationLenient(req.body);
        if (!parsed.ok)
          throw invalidInput(
            'invalid Update Notification',
            parsed.issues.map(({ field, reason }) => ({ field, reason })),
          );
        addWarnings(req, parsed.warnings);
        await refuseServerCallIfStrict(
          ctx.db,
          registration.partnerId,
          'Update Notification',
          parsed.warnings,
        );
        return result(reply, await service.notifyUpdate(deps, registration, parsed.value));
      });
    }
    for (const path of WALLET_SERVER_PATHS.cancelNotification) {
      scope.post(toFastify(path), async (req, reply) => {
        const registration = await service.authenticatePartnerCall(deps, authOf(req));
        const parsed = parseWire(cancelNotificationSchema, req.body);
        if (!parsed.ok)
          throw invalidInput(
            'invalid Cancel Notification',
            parsed.issues.map(({ field, reason }) => ({ field, reason })),
          );
        return result(reply, await service.notifyCancel(deps, registration, parsed.value));
      });
    }
  });

  registerWalletCardsOpenApi();
  annotateWalletCardsOperations();
}

export function registerWalletCardsOpenApi(): void {
  openapi.registerTag({
    name: 'add-to-wallet',
    description:
      'Add to Samsung Wallet links (cdata / pdata), the virtual wallet’s passes, and the Samsung Server API partners call (Update and Cancel Notification).',
  });
  openapi.registerSecurityScheme('partnerAuthToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWS',
    description:
      'An AUTH token (RS256, cty AUTH, partnerId, certificateId, utc) signed with the partner key, bound to the method and path.',
  });
  const err = { description: 'Error', schema: { type: 'object' } };
  const serverHeaders = [
    {
      name: 'x-smcs-partner-id',
      in: 'header' as const,
      required: true,
      description: 'Partner id (String(32))',
    },
    { name: 'x-request-id', in: 'header' as const, required: true, description: 'Request id (String(32))' },
  ];
  openapi.register({
    method: 'POST',
    path: '/atw/api/links/check',
    operationId: 'checkLink',
    summary: 'Check an Add to Wallet link (what the landing page does with the fragment)',
    description:
      'Verifies and decrypts cdata (or fetches pdata with Get Card Data), checks the card object against the card registration, and keeps the result as an offer for 10 minutes. Refusals carry `error.reason`: ' +
      Object.keys(linkErrorReasons).join(', '),
    tags: ['add-to-wallet'],
    requestBody: { schema: checkLinkBody },
    responses: { '200': { description: 'The offer with its preview' }, '400': err, '403': err, '404': err },
  });
  openapi.register({
    method: 'POST',
    path: '/wallet/api/passes',
    operationId: 'addCard',
    summary: 'Add a checked link’s passes to the signed-in device’s wallet',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '201': { description: 'The added passes' }, '409': err, '410': err },
  });
  openapi.register({
    method: 'GET',
    path: '/wallet/api/passes',
    operationId: 'listWalletCards',
    summary: 'The account’s passes with their state history',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '200': { description: 'Passes' } },
  });
  openapi.register({
    method: 'DELETE',
    path: '/wallet/api/passes/{walletCardId}',
    operationId: 'deleteWalletCard',
    summary: 'Delete a pass (Send Card State DELETED goes to the partner)',
    tags: ['add-to-wallet'],
    security: ['walletBearer', 'walletCookie'],
    responses: { '200': { description: 'The deleted pass' }, '404': err },
  });
  openapi.register({
    method: 'POST',
    path: '/admin/v1/wallet-cards',
    operationId: 'addCardFromLink',
    summary: 'Check a link and add it to an account’s wallet (cardport wallet add-card)',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: addCardAdminBody },
    responses: { '201': { description: 'The added passes' }, '400': err, '404': err },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/wallet-cards',
    operationId: 'listWalletCardsOfAccount',
    summary: 'An account’s passes (cardport wallet cards)',
    tags: ['admin'],
    security: ['adminToken'],
    parameters: [{ name: 'email', in: 'query', required: true, description: 'Account email' }],
    responses: { '200': { description: 'Passes' } },
  });
  for (const path of WALLET_SERVER_PATHS.updateNotification) {
    openapi.register({
      method: 'POST',
      path,
      operationId: `notifyUpdate${path.startsWith('/{cc2}') ? (path.endsWith('updates') ? 'Updates' : 'Regional') : ''}`,
      summary: 'Update Notification: refetch (UPDATED) or change the state of every pass of a refId',
      tags: ['add-to-wallet'],
      security: ['partnerAuthToken'],
      parameters: serverHeaders,
      requestBody: { schema: updateNotificationSchema },
      responses: {
        '200': { description: 'Applied to at least one wallet' },
        '204': { description: 'No wallet holds this refId' },
        '401': err,
        '503': err,
      },
    });
  }
  for (const path of WALLET_SERVER_PATHS.cancelNotification) {
    openapi.register({
      method: 'POST',
      path,
      operationId: `notifyCancel${path.startsWith('/{cc2}') ? (path.endsWith('cancels') ? 'Cancels' : 'Regional') : ''}`,
      summary: 'Cancel Notification: every pass of an event becomes CANCELED',
      tags: ['add-to-wallet'],
      security: ['partnerAuthToken'],
      parameters: serverHeaders,
      requestBody: { schema: cancelNotificationSchema },
      responses: {
        '200': { description: 'Applied to at least one wallet' },
        '204': { description: 'No wallet holds a pass of this event' },
        '401': err,
      },
    });
  }
}
