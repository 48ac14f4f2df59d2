// HTTP of passes: the wallet's add and pass pages, the device API (Bearer or cookie) and the admin
// API behind `cardport wallet add-card|cards`. Mounted in the domain's scope by routes.ts.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { invalidInput, isPlatformError, PlatformError } from '../core/errors.ts';
import {
  renderWalletPage,
  sendWalletPage,
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
import { addCardAdminBody, addPassBody, formValues, languagesOf, parseBody } from './route-support.ts';

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
  scope.get('/wallet/api/passes', async (req) => {
    const s = await walletApiSession(ctx, req);
    return { cards: await listWalletCards(ctx, { userId: s.account.userId, includeRemoved: true }) };
  });

  scope.post('/wallet/api/passes', async (req, reply) => {
    const s = await walletApiSession(ctx, req);
    const { offerId } = parseBody(addPassBody, req.body);
    const cards = await addCard(ctx, { offerId, userId: s.account.userId, deviceId: s.device.deviceId });
    return reply.code(201).send({ cards });
  });

  scope.delete('/wallet/api/passes/:walletCardId', async (req) => {
    const s = await walletApiSession(ctx, req);
    const { walletCardId } = req.params as { walletCardId: string };
    return deleteWalletCard(ctx, { userId: s.account.userId, walletCardId });
  });

  // ---- Admin API (cardport wallet add-card | cards) ------------------------------------------
  scope.post('/admin/v1/wallet-cards', { preHandler: ctx.requireAdmin }, async (req, reply) => {
    const body = parseBody(addCardAdminBody, req.body);
    const cards = await addCardFromLink(ctx, body);
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
      cards: await listWalletCards(ctx, { userId: account.userId, includeRemoved: true }),
    };
  });
}
