// HTTP of passes: the wallet's add and pass pages, the device API (Bearer or cookie) and the admin
// API behind `cardport wallet add-card|cards`. Mounted in the domain's scope by routes.ts.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { invalidInput, isPlatformError, PlatformError } from '../core/errors.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import {
  renderWalletPage,
  sendWalletPage,
  sessionCookieName,
  signInRedirect,
  walletApiSession,
  walletCsrfTokenOf,
  walletPageSession,
} from '../wallet/extensions.ts';
import { findAccountByEmail } from '../wallet/service.ts';
import { barcodeImagesKey, renderBarcode } from './barcode.ts';
import { getOffer } from './check-link.ts';
import { isLinkError } from './errors.ts';
import { addCardBody, errorBody, passAssets, passPageBody } from './pages/views.ts';
import { addCard, addCardFromLink, deleteWalletCard, getWalletCard, listWalletCards } from './passes.ts';
import { formValues, languagesOf, parseBody } from './route-support.ts';
import {
  accountPassesResponse,
  accountQuery,
  addCardAdminBody,
  addedPassesResponse,
  addPassBody,
  deletedPassResponse,
  linkErrorSchema,
  passesResponse,
  walletCardParams,
} from './schemas.ts';

export function registerPassRoutes(scope: FastifyInstance, ctx: AppContext): void {
  // ---- The wallet's pages ----------------------------------------------------------------------
  scope.get('/wallet/app/add-card', async (req, reply) => {
    const offerId = String((req.query as Record<string, unknown>)['offer'] ?? '');
    const session = await walletPageSession(ctx, req);
    if (!session) return signInRedirect(reply, `/wallet/app/add-card?offer=${encodeURIComponent(offerId)}`);
    let body: ReturnType<typeof addCardBody>;
    let status = 200;
    try {
      const offer = await getOffer(ctx, offerId);
      body = addCardBody(offer, session.device.name, languagesOf(req), walletCsrfTokenOf(ctx, session));
    } catch (err) {
      if (!isPlatformError(err) || err.status >= 500) throw err;
      body = errorBody('Cannot add this card', err.message, isLinkError(err) ? err.reason : err.code);
      status = err.status;
    }
    const page = await renderWalletPage(ctx, session, {
      title: 'Add to wallet',
      tab: 'cards',
      path: '/wallet/app/add-card',
      body,
      head: passAssets,
    });
    return sendWalletPage(reply, page, status);
  });

  scope.post('/wallet/app/add-card', async (req, reply) => {
    const offerId = formValues(req.body)['offer'] ?? '';
    const session = await walletPageSession(ctx, req);
    if (!session) return signInRedirect(reply, `/wallet/app/add-card?offer=${encodeURIComponent(offerId)}`);
    try {
      const added = await addCard(ctx, {
        offerId,
        userId: session.account.userId,
        deviceId: session.device.deviceId,
      });
      const first = added[0];
      return reply.redirect(first ? `/wallet/app/passes/${first.walletCardId}?added=1` : '/wallet/app', 303);
    } catch (err) {
      if (!isPlatformError(err) || err.status >= 500) throw err;
      const page = await renderWalletPage(ctx, session, {
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
    const session = await walletPageSession(ctx, req);
    if (!session) return signInRedirect(reply, `/wallet/app/passes/${encodeURIComponent(walletCardId)}`);
    const card = await getWalletCard(ctx, { userId: session.account.userId, walletCardId });
    const barcode = await renderBarcode(card.attributes, ctx.state.get(barcodeImagesKey));
    const added = (req.query as Record<string, unknown>)['added'] !== undefined;
    const page = await renderWalletPage(ctx, session, {
      title: String(card.attributes['title'] ?? 'Pass'),
      tab: 'cards',
      path: `/wallet/app/passes/${walletCardId}`,
      body: passPageBody(
        card,
        barcode,
        walletCsrfTokenOf(ctx, session),
        added ? 'Added to your wallet.' : undefined,
      ),
      head: passAssets,
    });
    return sendWalletPage(reply, page);
  });

  scope.post('/wallet/app/passes/:walletCardId/delete', async (req, reply) => {
    const { walletCardId } = req.params as { walletCardId: string };
    const session = await walletPageSession(ctx, req);
    if (!session) return signInRedirect(reply, '/wallet/app');
    await deleteWalletCard(ctx, { userId: session.account.userId, walletCardId });
    return reply.redirect('/wallet/app', 303);
  });

  // ---- Device API (Bearer or cookie) -----------------------------------------------------------
  // The session is checked before the body: the body is parsed in the handler (documentedOnly).
  const api = scope.withTypeProvider<ZodTypeProvider>();
  // The wallet's schemes (as wallet/routes.ts registers them): a declared route's security must
  // name schemes of its own listener's document.
  describeApi(scope, {
    securitySchemes: {
      walletBearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'The token from POST /wallet/api/sessions or POST /wallet/api/accounts.',
      },
      walletCookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName },
    },
  });
  const security: { [scheme: string]: string[] }[] = [{ walletBearer: [] }, { walletCookie: [] }];
  const device = { tags: ['add-to-wallet'], security };
  const refused = (description: string) => linkErrorSchema.meta({ description });
  api.get(
    '/wallet/api/passes',
    {
      schema: {
        operationId: 'listWalletCards',
        summary: 'The account’s passes with their state history',
        ...device,
        response: { 200: passesResponse },
      },
    },
    async (req) => {
      const s = await walletApiSession(ctx, req);
      return { cards: await listWalletCards(ctx, { userId: s.account.userId, includeRemoved: true }) };
    },
  );

  api.post(
    '/wallet/api/passes',
    {
      schema: {
        operationId: 'addCard',
        summary: 'Add a checked link’s passes to the signed-in device’s wallet',
        ...device,
        body: documentedOnly(addPassBody),
        response: {
          201: addedPassesResponse,
          409: refused('The wallet already holds a pass of this refId'),
          410: refused('The checked link expired: open the link again'),
        },
      },
    },
    async (req, reply) => {
      const s = await walletApiSession(ctx, req);
      const { offerId } = parseBody(addPassBody, req.body);
      const cards = await addCard(ctx, { offerId, userId: s.account.userId, deviceId: s.device.deviceId });
      return reply.code(201).send({ cards });
    },
  );

  api.delete(
    '/wallet/api/passes/:walletCardId',
    {
      schema: {
        operationId: 'deleteWalletCard',
        summary: 'Delete a pass (Send Card State DELETED goes to the partner)',
        ...device,
        params: walletCardParams,
        response: {
          200: deletedPassResponse,
          404: platformErrorSchema.meta({ description: 'No such pass' }),
        },
      },
    },
    async (req) => {
      const s = await walletApiSession(ctx, req);
      return deleteWalletCard(ctx, { userId: s.account.userId, walletCardId: req.params.walletCardId });
    },
  );

  // ---- Admin API (cardport wallet add-card | cards) ------------------------------------------
  describeApi(scope, adminApi);
  const admin = { tags: ['admin'], security: [{ adminToken: [] }] };
  api.post(
    '/admin/v1/wallet-cards',
    {
      // The admin check runs before validation: a caller without the token learns nothing of the body.
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'addCardFromLink',
        summary: 'Check a link and add it to an account’s wallet (cardport wallet add-card)',
        ...admin,
        body: addCardAdminBody,
        response: {
          201: addedPassesResponse,
          400: refused('The link is refused, or the body is invalid'),
          404: platformErrorSchema.meta({ description: 'No such account or device' }),
        },
      },
    },
    async (req, reply) => {
      const cards = await addCardFromLink(ctx, req.body);
      return reply.code(201).send({ cards });
    },
  );

  api.get(
    '/admin/v1/wallet-cards',
    {
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'listWalletCardsOfAccount',
        summary: 'An account’s passes (cardport wallet cards)',
        ...admin,
        // Checked in the handler: a missing email is INVALID_INPUT naming `email`.
        querystring: documentedOnly(accountQuery),
        response: {
          200: accountPassesResponse,
          404: platformErrorSchema.meta({ description: 'No account has this email' }),
        },
      },
    },
    async (req) => {
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
        cards: await listWalletCards(ctx, { userId: account.userId, includeRemoved: true }),
      };
    },
  );
}
