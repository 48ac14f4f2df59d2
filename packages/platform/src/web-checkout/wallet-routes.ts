// The wallet side of Web Checkout: the Payments tab, a request's approval page, "add a test
// card", and the entry the mobile flow (and the checkout page's QR) opens in the wallet.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPlatformError } from '../core/errors.ts';
import { html } from '../core/html.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { parseInput } from '../core/validation.ts';
import { cardBrands } from '../tsp/index.ts';
import {
  registerWalletTab,
  renderWalletPage,
  sendWalletPage,
  signInRedirect,
  type WalletExtensionDeps,
  walletCsrfTokenOf,
  walletPageSession,
} from '../wallet/extensions.ts';
import type { WalletSession } from '../wallet/service.ts';
import {
  approvePayment,
  declinePayment,
  eligibleCards,
  getPaymentRequest,
  listPaymentRequests,
  walletCards,
} from './approval.ts';
import { addTestCardToWallet } from './automation.ts';
import { claimCheckout } from './checkout-session.ts';
import type { WebCheckoutDeps } from './deps.ts';
import { answeredBody, paymentsBody, requestBody } from './pages/payments.ts';

const stylesheet = html`<link rel="stylesheet" href="/wallet/payments-assets/payments.css">`;

// The "add a test card" form's `card` value, `BRAND` or `BRAND:PAN`, checked as the TSP checks it.
const testCardChoice = z.object({ brand: z.enum(cardBrands), pan: z.string().optional() });

function field(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : undefined;
}

/** A user-facing error for the page and its status; anything but a 4xx PlatformError is rethrown. */
function pageError(err: unknown): { text: string; status: number } {
  if (isPlatformError(err) && err.status < 500) {
    const reason = err.details?.[0]?.reason;
    const text = reason && !err.message.includes(reason) ? `${err.message} (${reason})` : err.message;
    return { text, status: err.status };
  }
  throw err;
}

export function registerPaymentsTab(deps: WalletExtensionDeps): void {
  registerWalletTab(deps, {
    id: 'payments',
    label: 'Payments',
    href: '/wallet/payments',
    order: 30,
    icon: html`<svg class="wallet-tab-icon" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2.5" y="5" width="19" height="14" rx="2.5"/><path d="M2.5 10h19M6.5 15h4"/></svg>`,
  });
}

export function registerWebCheckoutWalletRoutes(
  app: FastifyInstance,
  deps: WebCheckoutDeps & WalletExtensionDeps,
): void {
  serveStaticFiles(app, {
    root: new URL('./pages/', import.meta.url),
    prefix: '/wallet/payments-assets/',
    files: { 'payments.css': 'no-cache' },
  });

  async function session(req: FastifyRequest, reply: FastifyReply): Promise<WalletSession | undefined> {
    const s = await walletPageSession(deps, req);
    if (!s) signInRedirect(reply, req.url);
    return s;
  }

  async function paymentsPage(
    s: WalletSession,
    notes: { error?: string; success?: string } = {},
  ): Promise<string> {
    const [requests, cards] = await Promise.all([
      listPaymentRequests(deps, s.account.userId),
      walletCards(deps.db, s.device),
    ]);
    return renderWalletPage(deps, s, {
      title: 'Payments',
      tab: 'payments',
      path: '/wallet/payments',
      body: paymentsBody({
        requests,
        cards,
        error: notes.error,
        success: notes.success,
        csrfToken: walletCsrfTokenOf(deps, s),
      }),
      head: stylesheet,
    });
  }

  async function requestPage(s: WalletSession, transactionId: string, error?: string): Promise<string> {
    const request = await getPaymentRequest(deps, { userId: s.account.userId, transactionId });
    const cards = (await walletCards(deps.db, s.device)).filter((c) => c.status !== 'DELETED');
    const eligible = await eligibleCards(deps.db, s.device, request.allowedBrands);
    return renderWalletPage(deps, s, {
      title: 'Payment request',
      tab: 'payments',
      path: `/wallet/payments/${transactionId}`,
      body: requestBody({ request, cards, eligible, error, csrfToken: walletCsrfTokenOf(deps, s) }),
      head: stylesheet,
    });
  }

  app.get<{ Querystring: { added?: string } }>('/wallet/payments', async (req, reply) => {
    const s = await session(req, reply);
    if (!s) return reply;
    return sendWalletPage(
      reply,
      await paymentsPage(s, req.query.added ? { success: 'Test card added.' } : {}),
    );
  });

  app.post('/wallet/payments/test-cards', async (req, reply) => {
    const s = await session(req, reply);
    if (!s) return reply;
    const [brand = '', pan] = (field(req.body, 'card') ?? '').split(':');
    try {
      const card = parseInput(testCardChoice, { brand, pan }, 'test card');
      await addTestCardToWallet(deps, { userId: s.account.userId, device: s.device, ...card });
      return reply.redirect('/wallet/payments?added=1', 303);
    } catch (err) {
      const e = pageError(err);
      return sendWalletPage(reply, await paymentsPage(s, { error: e.text }), e.status);
    }
  });

  app.get<{ Params: { token: string } }>('/wallet/payments/checkout/:token', async (req, reply) => {
    const s = await session(req, reply);
    if (!s) return reply;
    try {
      const transactionId = await claimCheckout(deps, { token: req.params.token, account: s.account });
      return reply.redirect(`/wallet/payments/${transactionId}`, 303);
    } catch (err) {
      const e = pageError(err);
      return sendWalletPage(reply, await paymentsPage(s, { error: e.text }), e.status);
    }
  });

  app.get<{ Params: { transactionId: string } }>('/wallet/payments/:transactionId', async (req, reply) => {
    const s = await session(req, reply);
    if (!s) return reply;
    try {
      return sendWalletPage(reply, await requestPage(s, req.params.transactionId));
    } catch (err) {
      const e = pageError(err);
      return sendWalletPage(reply, await paymentsPage(s, { error: e.text }), e.status);
    }
  });

  app.post<{ Params: { transactionId: string } }>(
    '/wallet/payments/:transactionId/approve',
    async (req, reply) => {
      const s = await session(req, reply);
      if (!s) return reply;
      const { transactionId } = req.params;
      try {
        const tokenRef = field(req.body, 'tokenRef') ?? '';
        const approved = await approvePayment(deps, {
          userId: s.account.userId,
          device: s.device,
          transactionId,
          tokenRef,
        });
        const request = await getPaymentRequest(deps, { userId: s.account.userId, transactionId });
        const mobile = request.checkoutKind === 'mobile';
        return sendWalletPage(
          reply,
          await renderWalletPage(deps, s, {
            title: 'Payment approved',
            tab: 'payments',
            path: `/wallet/payments/${transactionId}`,
            body: answeredBody({ approved: true, redirectUrl: approved.redirectUrl, mobile }),
            head:
              mobile && approved.redirectUrl
                ? html`${stylesheet}<meta http-equiv="refresh" content="1;url=${approved.redirectUrl}">`
                : stylesheet,
          }),
        );
      } catch (err) {
        const e = pageError(err);
        return sendWalletPage(reply, await requestPage(s, transactionId, e.text), e.status);
      }
    },
  );

  app.post<{ Params: { transactionId: string } }>(
    '/wallet/payments/:transactionId/decline',
    async (req, reply) => {
      const s = await session(req, reply);
      if (!s) return reply;
      const { transactionId } = req.params;
      try {
        const { redirectUrl } = await declinePayment(deps, {
          userId: s.account.userId,
          device: s.device,
          transactionId,
        });
        const request = await getPaymentRequest(deps, { userId: s.account.userId, transactionId });
        const mobile = request.checkoutKind === 'mobile';
        return sendWalletPage(
          reply,
          await renderWalletPage(deps, s, {
            title: 'Declined',
            tab: 'payments',
            path: `/wallet/payments/${transactionId}`,
            body: answeredBody({ approved: false, redirectUrl, mobile }),
            head:
              mobile && redirectUrl
                ? html`${stylesheet}<meta http-equiv="refresh" content="1;url=${redirectUrl}">`
                : stylesheet,
          }),
        );
      } catch (err) {
        const e = pageError(err);
        return sendWalletPage(reply, await requestPage(s, transactionId, e.text), e.status);
      }
    },
  );
}
