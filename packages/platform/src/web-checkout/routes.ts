// HTTP of Web Checkout on the main listener: the Server API under /ops/v1 (errors as
// `{resultCode, resultMessage}`, PROTOCOLS.md 4.1), the checkout UI under /gsmpi/ that accepts
// the real JS SDK's form POST (4.3), and the admin API the CLI uses.
import { readFileSync } from 'node:fs';
import {
  createTransactionRequestSchema,
  createTransactionResponseSchema,
  getPaymentCredentialsResponseSchema,
  NOTIFICATION_SUCCESS_STATUS,
  parseCheckoutFormLenient,
  parseCreateTransactionLenient,
  parseWire,
  paymentNotificationSchema,
  paymentStatusWarning,
  referenceIdSchema,
  serviceIdSchema,
  type WebCheckoutResultCode,
  webCheckoutResult,
  webCheckoutResultSchema,
  webCheckoutValidationResult,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serveBrowserBundle } from '../core/bundles.ts';
import { isPlatformError, PlatformError } from '../core/errors.ts';
import { registerErrorFamily } from '../core/families.ts';
import { registerPlatformFamily, toPlatformError } from '../core/http.ts';
import { findUnsafeText } from '../core/input-check.ts';
import { openapi } from '../core/openapi.ts';
import { addWarnings } from '../core/warnings.ts';
import { inboundFaults, webCheckoutPartnerOf } from '../faults/service.ts';
import { recordRequests } from '../partners/request-log.ts';
import { isWebCheckoutError } from './errors.ts';
import { annotateWebCheckoutOperations } from './openapi.ts';
import { checkoutErrorPage, checkoutPage } from './pages/checkout.ts';
import { dashboardPage } from './pages/dashboard.ts';
import type { WebCheckoutRouteDeps } from './service.ts';
import * as service from './service.ts';

const checkoutScript = readFileSync(new URL('./pages/checkout.js', import.meta.url), 'utf8');
const checkoutStyles = readFileSync(new URL('./pages/checkout.css', import.meta.url), 'utf8');
const dashboardScript = readFileSync(new URL('./pages/dashboard.js', import.meta.url), 'utf8');
const dashboardStyles = readFileSync(new URL('./pages/dashboard.css', import.meta.url), 'utf8');

function validationError(issues: Parameters<typeof webCheckoutValidationResult>[0]) {
  const { body } = webCheckoutValidationResult(issues);
  return body;
}

/** Maps anything thrown in the /ops/v1 scope to `{resultCode, resultMessage}` with its status. */
function opsErrorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  if (isWebCheckoutError(err)) {
    reply.code(err.status).send(webCheckoutResult(err.resultCode, err.detail));
    return;
  }
  const e = toPlatformError(err);
  let code: WebCheckoutResultCode;
  let status = e.status;
  if (e.status === 403) code = 'OPM1N1033';
  else if (e.status === 404 && e.details?.[0]?.field === 'path')
    code = 'OPM1N1003'; // no such route
  else if (e.status === 404) code = 'OPM1N1035';
  else if (e.status >= 400 && e.status < 500) {
    code = 'OPM1N1003'; // unreadable body, wrong content type, too large, unsafe text
  } else {
    // Never classified by the database's message: any unexpected failure is an internal error.
    code = 'OPM3N1003';
    status = 500;
    req.log.error({ err: e.cause ?? e }, 'web checkout request failed');
  }
  reply.code(status).send(webCheckoutResult(code, e.status < 500 ? e.message : undefined));
}

function formOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

export function registerWebCheckoutRoutes(app: FastifyInstance, deps: WebCheckoutRouteDeps): void {
  recordRequests(app, deps, 'web-checkout', {
    only: (url) =>
      /^\/(ops\/v1\/|gsmpi\/(pc_gsmpi|m_gsmpi)\/|gsmpi\/checkout\/[^/]+\/(account|cancel))/.test(url),
  });
  // ---- Server API ----------------------------------------------------------------------------
  registerErrorFamily(app, {
    prefix: '/ops/v1/',
    handler: opsErrorHandler,
    raw: (e) => ({
      type: 'application/json',
      body: JSON.stringify(webCheckoutResult('OPM1N1003', e.message)),
    }),
    jsonOnly: true,
  });
  app.register(async (ops) => {
    ops.setErrorHandler(opsErrorHandler);
    ops.addHook('preHandler', inboundFaults(deps.db, 'web-checkout', webCheckoutPartnerOf(deps.db)));

    ops.post('/ops/v1/transactions', async (req, reply) => {
      const parsed = parseCreateTransactionLenient(req.body ?? undefined);
      if (!parsed.ok) return reply.code(400).send(validationError(parsed.issues));
      addWarnings(req, parsed.warnings);
      return service.createTransaction(deps, parsed.value, { sourceIp: req.ip, warnings: parsed.warnings });
    });

    ops.get<{ Params: { referenceId: string }; Querystring: Record<string, unknown> }>(
      '/ops/v1/transactions/paymentCredentials/:referenceId',
      async (req, reply) => {
        const ref = parseWire(referenceIdSchema, req.params.referenceId, { root: 'referenceId' });
        if (!ref.ok) return reply.code(400).send(validationError(ref.issues));
        const sid = parseWire(z.object({ serviceId: serviceIdSchema }), req.query ?? {}, { root: 'query' });
        if (!sid.ok) return reply.code(400).send(validationError(sid.issues));
        return service.getPaymentCredentials(deps, ref.value, sid.value.serviceId, { sourceIp: req.ip });
      },
    );

    ops.post('/ops/v1/notifications', async (req, reply) => {
      const parsed = parseWire(paymentNotificationSchema, req.body ?? undefined);
      if (!parsed.ok) return reply.code(400).send(validationError(parsed.issues));
      const warning = paymentStatusWarning(parsed.value.payment.status);
      const warnings = warning ? [warning] : [];
      addWarnings(req, warnings);
      await service.notifyPaymentResult(deps, parsed.value, { sourceIp: req.ip, warnings });
      return reply.code(NOTIFICATION_SUCCESS_STATUS).send(webCheckoutResult('0'));
    });

    ops.head('/ops/v1/internal/health', async (_req, reply) => {
      service.recordHealthCallback();
      return reply.code(204).send();
    });
  });

  // ---- Checkout UI (PROTOCOLS.md 4.3) ---------------------------------------------------------
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

  function sendCheckoutPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', checkoutCsp)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .send(body);
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

  // Every error under /gsmpi/ is a checkout page (the user's browser is there), but the page's
  // status poll under /gsmpi/api/ answers JSON like the platform's other APIs.
  registerErrorFamily(app, {
    prefix: '/gsmpi/',
    handler: (err, _req, reply) => sendCheckoutError(reply, err),
    raw: (e) => ({
      type: 'text/html; charset=utf-8',
      body: checkoutErrorPage({ countryCode: null, message: e.message, code: e.code }),
    }),
  });
  registerPlatformFamily(app, '/gsmpi/api/', { jsonOnly: true });

  // The JS SDK (SamsungPay.connect), from packages/browser/src/web-checkout.ts.
  serveBrowserBundle(app, deps.state, '/gsmpi/sdk/samsungpay_web_sdk.js', 'web-checkout.ts');

  app.get('/gsmpi/assets/checkout.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(checkoutScript),
  );
  app.get('/gsmpi/assets/checkout.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(checkoutStyles),
  );

  for (const [path, kind] of [
    ['/gsmpi/pc_gsmpi/index.do', 'pc'],
    ['/gsmpi/m_gsmpi/mobileIndex.do', 'mobile'],
  ] as const) {
    app.post(path, async (req, reply) => {
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
        const opened = await service.openCheckout(deps, parsed.value, {
          origin,
          kind,
          warnings: parsed.warnings,
        });
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
      const view = await service.getCheckoutStatus(deps, req.params.token);
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
      await service.requestPaymentFromAccount(deps, req.params.token, typeof email === 'string' ? email : '');
      return reply.redirect(`/gsmpi/checkout/${encodeURIComponent(req.params.token)}`, 303);
    } catch (err) {
      const view = await service.getCheckoutStatus(deps, req.params.token).catch(() => undefined);
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
      const view = await service.cancelCheckout(deps, req.params.token);
      return reply.redirect(
        view.redirectUrl ?? `/gsmpi/checkout/${encodeURIComponent(req.params.token)}`,
        303,
      );
    } catch (err) {
      return sendCheckoutError(reply, err);
    }
  });

  app.get<{ Params: { token: string } }>('/gsmpi/api/checkout/:token', async (req) => {
    const view = await service.getCheckoutStatus(deps, req.params.token);
    return { status: view.status, expired: view.expired, redirectUrl: view.redirectUrl };
  });

  // ---- Dashboard page (data from the admin API, token from the main dashboard) ----------------
  app.get('/admin/web-checkout', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
      )
      .send(dashboardPage()),
  );
  app.get('/admin/web-checkout/assets/dashboard.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(dashboardScript),
  );
  app.get('/admin/web-checkout/assets/dashboard.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(dashboardStyles),
  );

  // ---- Admin API (the CLI) --------------------------------------------------------------------
  app.register(async (admin) => {
    admin.addHook('preHandler', deps.requireAdmin);

    admin.post('/admin/v1/web-checkout/test-cards', async (req, reply) => {
      const body = z
        .strictObject({
          account: z.string().min(1),
          brand: z.enum(['VI', 'MC', 'AX', 'DS']),
          pan: z.string().optional(),
          deviceId: z.string().optional(),
        })
        .safeParse(req.body ?? {});
      if (!body.success) throw invalid(body.error);
      return reply.code(201).send(await service.addTestCardByEmail(deps, body.data));
    });

    admin.post('/admin/v1/web-checkout/approvals', async (req) => {
      const body = z
        .strictObject({
          account: z.string().min(1),
          transactionId: z.string().min(1),
          cardLast4: z
            .string()
            .regex(/^[0-9]{4}$/)
            .optional(),
          decline: z.boolean().optional(),
        })
        .safeParse(req.body ?? {});
      if (!body.success) throw invalid(body.error);
      return service.answerAsWallet(deps, body.data);
    });

    admin.get<{ Querystring: { serviceId?: string } }>(
      '/admin/v1/web-checkout/transactions',
      async (req) => ({
        transactions: await service.listTransactionsForAdmin(
          deps,
          req.query.serviceId ? { serviceId: req.query.serviceId } : {},
        ),
      }),
    );

    admin.post<{ Params: { serviceId: string } }>(
      '/admin/v1/web-checkout/services/:serviceId/health-probes',
      async (req, reply) =>
        reply.code(201).send(await service.probeServiceHealth(deps, req.params.serviceId)),
    );
    admin.get<{ Params: { serviceId: string } }>(
      '/admin/v1/web-checkout/services/:serviceId/health-probes',
      async (req) => ({ probes: await service.listHealthProbes(deps, req.params.serviceId) }),
    );
  });

  registerOpenApi();
  annotateWebCheckoutOperations();
}

function invalid(error: z.ZodError): PlatformError {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message }));
  const first = details[0];
  return new PlatformError(
    'INVALID_INPUT',
    first ? `invalid request body: ${first.field} ${first.reason}` : 'invalid request body',
    {
      details,
    },
  );
}

function registerOpenApi(): void {
  openapi.registerTag({
    name: 'web-checkout',
    description:
      'Samsung Pay Web Checkout v1: the Server API a merchant or payment gateway calls, and the checkout UI the JS SDK posts to. Errors are {resultCode, resultMessage}. See the Web Checkout guide.',
  });
  const errors = {
    '400': {
      description:
        'OPM1N1001 missing, OPM1N1002 invalid value, OPM1N1003 invalid format, OPM1N1026 inconsistent',
      schema: webCheckoutResultSchema,
    },
    '404': { description: 'OPM1N1035 the service does not exist', schema: webCheckoutResultSchema },
  };
  openapi.register({
    method: 'POST',
    path: '/ops/v1/transactions',
    operationId: 'createTransaction',
    summary: 'Create a transaction: its id, the checkout UI href and the encInfo key for SamsungPay.connect',
    tags: ['web-checkout'],
    requestBody: { schema: createTransactionRequestSchema },
    responses: { '200': { description: 'Created', schema: createTransactionResponseSchema }, ...errors },
  });
  openapi.register({
    method: 'GET',
    path: '/ops/v1/transactions/paymentCredentials/{referenceId}',
    operationId: 'getPaymentCredentials',
    summary: 'Retrieve the payment credential (JWE, RSA1_5 + A128GCM, empty AAD) of an approved payment',
    description: `Available for ${service.credentialLifetimeMs / 60_000} minutes after approval; then OPM1N1002 (expired).`,
    tags: ['web-checkout'],
    parameters: [
      { name: 'referenceId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'serviceId', in: 'query', required: true, schema: { type: 'string' } },
    ],
    responses: {
      '200': { description: 'The credential', schema: getPaymentCredentialsResponseSchema },
      ...errors,
    },
  });
  openapi.register({
    method: 'POST',
    path: '/ops/v1/notifications',
    operationId: 'notifyPaymentResult',
    summary: 'Notify the payment result (CHARGED, CANCELED/CANCELLED, REJECTED, TIMEOUT, ERRED)',
    tags: ['web-checkout'],
    requestBody: { schema: paymentNotificationSchema },
    responses: { '201': { description: 'Recorded', schema: webCheckoutResultSchema }, ...errors },
  });
  openapi.register({
    method: 'HEAD',
    path: '/ops/v1/internal/health',
    operationId: 'checkWebCheckoutHealth',
    summary: 'Health check: 204 when healthy (the partner side of the bidirectional check calls it)',
    tags: ['web-checkout'],
    responses: { '204': { description: 'Healthy' } },
  });
  openapi.register({
    method: 'POST',
    path: '/gsmpi/pc_gsmpi/index.do',
    operationId: 'openCheckout',
    summary:
      'Checkout UI entry (PC): the form POST of SamsungPay.connect; /gsmpi/m_gsmpi/mobileIndex.do on Android mobile',
    tags: ['web-checkout'],
    requestBody: {
      schema: {
        type: 'object',
        description:
          'domains, myOrigin, transactionId, href, serviceId, callbackUrl, cancelUrl, countryCode, isWindow, mod, exp, keyId (each URL-encoded twice)',
      },
      contentType: 'application/x-www-form-urlencoded',
    },
    responses: { '303': { description: 'To the checkout page (PC) or the wallet (mobile)' } },
  });
}
