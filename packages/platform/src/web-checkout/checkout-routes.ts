// The checkout UI under /gsmpi/ (PROTOCOLS.md 4.3): the real JS SDK's form POST, the checkout
// page, the account the shopper enters, cancel, and the page's status poll. Every error under
// /gsmpi/ is a checkout page (the user's browser is there), except the JSON status poll.
import { parseCheckoutFormLenient, webCheckoutValidationResult } from '@cardport/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { serveBrowserBundle, servePageScript } from '../core/bundles.ts';
import { invalidInput, isPlatformError, PlatformError } from '../core/errors.ts';
import { registerErrorFamily } from '../core/families.ts';
import { registerPlatformFamily, toPlatformError } from '../core/http.ts';
import { findUnsafeText } from '../core/input-check.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import type { ZodTypeProvider } from '../core/routes.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { addWarnings } from '../core/warnings.ts';
import { attributeToService } from '../partners/request-log.ts';
import {
  cancelCheckout,
  getCheckoutStatus,
  openCheckout,
  requestPaymentFromAccount,
} from './checkout-session.ts';
import type { WebCheckoutRouteDeps } from './deps.ts';
import { isWebCheckoutError } from './errors.ts';
import { checkoutErrorPage, checkoutPage } from './pages/checkout.ts';
import { checkoutFormBody } from './schemas.ts';

const checkoutCsp = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  // The checkout page is never framed: the JS SDK opens it as a page or a popup.
  "frame-ancestors 'none'",
].join('; ');

function formOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** The account field of the checkout page: an email address, trimmed. */
function accountEmail(value: unknown): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed || trimmed.length > 254 || !trimmed.includes('@')) {
    throw invalidInput('enter the email of a Samsung account', [
      { field: 'email', reason: 'an email address' },
    ]);
  }
  return trimmed;
}

/** A checkout page; its headers are the scope's policy (registerCheckoutRoutes). */
function sendCheckoutPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

function sendCheckoutError(reply: FastifyReply, err: unknown, countryCode?: string | null): FastifyReply {
  const e = isPlatformError(err) ? err : toPlatformError(err);
  const status = e.status >= 500 && !isWebCheckoutError(err) ? 500 : e.status;
  return sendCheckoutPage(
    reply,
    checkoutErrorPage({
      countryCode: countryCode ?? null,
      message: status >= 500 && !isWebCheckoutError(err) ? 'internal error' : e.message,
      code: isWebCheckoutError(err) ? err.resultCode : e.code,
    }),
    status,
  );
}

export function registerCheckoutRoutes(app: FastifyInstance, deps: WebCheckoutRouteDeps): void {
  registerErrorFamily(app, {
    prefix: '/gsmpi/',
    handler: (err, _req, reply) => sendCheckoutError(reply, err),
    raw: (e) => ({
      type: 'text/html; charset=utf-8',
      body: checkoutErrorPage({ countryCode: null, message: e.message, code: e.code }),
    }),
  });
  registerPlatformFamily(app, '/gsmpi/api/', { jsonOnly: true });
  // Every checkout page, error pages included: its CSP, never framed, never cached.
  registerPagePolicy(app, {
    prefix: '/gsmpi/',
    contentSecurityPolicy: checkoutCsp,
    frameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    cacheControl: 'no-store',
  });

  // The JS SDK (SamsungPay.connect), from packages/browser/src/web-checkout.ts.
  serveBrowserBundle(app, deps.state, '/gsmpi/sdk/samsungpay_web_sdk.js', 'web-checkout.ts');

  servePageScript(
    app,
    deps.state,
    '/gsmpi/assets/checkout.js',
    new URL('./pages/checkout.browser.ts', import.meta.url),
  );
  serveStaticFiles(app, {
    root: new URL('./pages/', import.meta.url),
    prefix: '/gsmpi/assets/',
    files: { 'checkout.css': 'no-cache' },
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  for (const [path, kind] of [
    ['/gsmpi/pc_gsmpi/index.do', 'pc'],
    ['/gsmpi/m_gsmpi/mobileIndex.do', 'mobile'],
  ] as const) {
    const documented = kind === 'pc';
    const schema = {
      consumes: ['application/x-www-form-urlencoded'],
      body: checkoutFormBody,
      ...(documented
        ? {
            operationId: 'openCheckout',
            summary:
              'Checkout UI entry (PC): the form POST of SamsungPay.connect; /gsmpi/m_gsmpi/mobileIndex.do on Android mobile',
            tags: ['web-checkout'],
            response: {
              303: z.null().meta({ description: 'To the checkout page (PC) or the wallet (mobile)' }),
            },
          }
        : {}),
    };
    api.post(path, { schema }, async (req, reply) => {
      const raw = formOf(req.body);
      const parsed = parseCheckoutFormLenient(raw);
      const country = typeof raw['countryCode'] === 'string' ? raw['countryCode'].toLowerCase() : null;
      if (!parsed.ok) {
        const { body } = webCheckoutValidationResult(parsed.issues);
        return sendCheckoutError(reply, new PlatformError('INVALID_INPUT', body.resultMessage), country);
      }
      // The SDK encodes every value a second time: the edge check sees the form, this the values.
      const unsafe = findUnsafeText(parsed.value, '');
      if (unsafe)
        return sendCheckoutError(
          reply,
          new PlatformError('INVALID_INPUT', `invalid text in ${unsafe.field}`),
          country,
        );
      // Origin only (never Referer or the form's myOrigin): a null or absent Origin is refused.
      const origin = req.headers.origin && req.headers.origin !== 'null' ? req.headers.origin : undefined;
      addWarnings(req, parsed.warnings);
      try {
        const opened = await openCheckout(
          deps,
          { form: parsed.value, origin, kind, warnings: parsed.warnings },
          // The serviceId arrives encrypted: the request log learns it once decrypted.
          (serviceId) => attributeToService(req, serviceId),
        );
        const target =
          kind === 'mobile'
            ? `/wallet/payments/checkout/${encodeURIComponent(opened.token)}`
            : `/gsmpi/checkout/${encodeURIComponent(opened.token)}`;
        return reply.redirect(target, 303);
      } catch (err) {
        return sendCheckoutError(reply, err, parsed.value.countryCode);
      }
    });
  }

  app.get<{ Params: { token: string } }>('/gsmpi/checkout/:token', async (req, reply) => {
    try {
      const view = await getCheckoutStatus(deps, req.params.token);
      return sendCheckoutPage(
        reply,
        await checkoutPage({ view, token: req.params.token, publicUrl: deps.config.publicUrl }),
      );
    } catch (err) {
      return sendCheckoutError(reply, err);
    }
  });

  app.post<{ Params: { token: string } }>('/gsmpi/checkout/:token/account', async (req, reply) => {
    const email = formOf(req.body)['email'];
    try {
      await requestPaymentFromAccount(deps, { token: req.params.token, email: accountEmail(email) });
      return reply.redirect(`/gsmpi/checkout/${encodeURIComponent(req.params.token)}`, 303);
    } catch (err) {
      const view = await getCheckoutStatus(deps, req.params.token).catch(() => undefined);
      if (!view || !isPlatformError(err) || err.status >= 500) return sendCheckoutError(reply, err);
      return sendCheckoutPage(
        reply,
        await checkoutPage({
          view,
          token: req.params.token,
          publicUrl: deps.config.publicUrl,
          error: err.details?.[0]?.reason === 'no account' ? 'noAccount' : err.message,
          email: typeof email === 'string' ? email : '',
        }),
        err.status,
      );
    }
  });

  app.post<{ Params: { token: string } }>('/gsmpi/checkout/:token/cancel', async (req, reply) => {
    try {
      const view = await cancelCheckout(deps, req.params.token);
      return reply.redirect(
        view.redirectUrl ?? `/gsmpi/checkout/${encodeURIComponent(req.params.token)}`,
        303,
      );
    } catch (err) {
      return sendCheckoutError(reply, err);
    }
  });

  app.get<{ Params: { token: string } }>('/gsmpi/api/checkout/:token', async (req) => {
    const view = await getCheckoutStatus(deps, req.params.token);
    return { status: view.status, expired: view.expired, redirectUrl: view.redirectUrl };
  });
}
