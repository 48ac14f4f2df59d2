// HTTP of Web Checkout on the main listener: the Server API under /ops/v1 (errors as
// `{resultCode, resultMessage}`, PROTOCOLS.md 4.1) here, the checkout UI under /gsmpi/ that
// accepts the real JS SDK's form POST (4.3) in checkout-routes.ts, and the dashboard page and
// admin API the CLI uses in admin-routes.ts. Routes parse and validate; the operations
// (server-api.ts, checkout-session.ts, …) receive typed input.
import {
  NOTIFICATION_SUCCESS_STATUS,
  parseCreateTransactionLenient,
  parseWire,
  paymentNotificationSchema,
  paymentStatusWarning,
  referenceIdSchema,
  serviceIdSchema,
  type WebCheckoutResultCode,
  webCheckoutResult,
  webCheckoutValidationResult,
} from '@cardport/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { registerErrorFamily } from '../core/families.ts';
import { toPlatformError } from '../core/http.ts';
import { describeApi, type ZodTypeProvider } from '../core/routes.ts';
import { addWarnings } from '../core/warnings.ts';
import { inboundFaults, webCheckoutPartnerOf } from '../faults/service.ts';
import { recordRequests } from '../partners/request-log.ts';
import { registerWebCheckoutAdminRoutes } from './admin-routes.ts';
import { registerCheckoutRoutes } from './checkout-routes.ts';
import { credentialLifetimeMs, type WebCheckoutRouteDeps } from './deps.ts';
import { isWebCheckoutError } from './errors.ts';
import { recordHealthCallback } from './health.ts';
import {
  createdTransaction,
  createTransactionBody,
  credentialsErrors,
  credentialsParams,
  credentialsQuery,
  notificationBody,
  notificationRecorded,
  paymentCredentials,
  requestIdHeaders,
  serverApiErrors,
  webCheckoutTag,
} from './schemas.ts';
import { createTransaction, getPaymentCredentials, notifyPaymentResult } from './server-api.ts';

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
  describeApi(app, { tags: [webCheckoutTag] });
  app.register(async (ops) => {
    ops.setErrorHandler(opsErrorHandler);
    ops.addHook('preHandler', inboundFaults(deps.db, 'web-checkout', webCheckoutPartnerOf(deps.db)));
    const api = ops.withTypeProvider<ZodTypeProvider>();
    const tags = ['web-checkout'];

    api.post(
      '/ops/v1/transactions',
      {
        schema: {
          operationId: 'createTransaction',
          summary:
            'Create a transaction: its id, the checkout UI href and the encInfo key for SamsungPay.connect',
          tags,
          headers: requestIdHeaders,
          body: createTransactionBody,
          response: { 200: createdTransaction, ...serverApiErrors },
        },
      },
      async (req, reply) => {
        const parsed = parseCreateTransactionLenient(req.body ?? undefined);
        if (!parsed.ok) return reply.code(400).send(validationError(parsed.issues));
        addWarnings(req, parsed.warnings);
        return createTransaction(deps, parsed.value, { sourceIp: req.ip, warnings: parsed.warnings });
      },
    );

    api.get(
      '/ops/v1/transactions/paymentCredentials/:referenceId',
      {
        schema: {
          operationId: 'getPaymentCredentials',
          summary:
            'Retrieve the payment credential (JWE, RSA1_5 + A128GCM, empty AAD) of an approved payment',
          description: `Available for ${credentialLifetimeMs / 60_000} minutes after approval; then OPM1N1002 (expired).`,
          tags,
          headers: requestIdHeaders,
          params: credentialsParams,
          querystring: credentialsQuery,
          response: { 200: paymentCredentials, ...credentialsErrors },
        },
      },
      async (req, reply) => {
        const ref = parseWire(referenceIdSchema, req.params.referenceId, { root: 'referenceId' });
        if (!ref.ok) return reply.code(400).send(validationError(ref.issues));
        const sid = parseWire(z.object({ serviceId: serviceIdSchema }), req.query ?? {}, { root: 'query' });
        if (!sid.ok) return reply.code(400).send(validationError(sid.issues));
        return getPaymentCredentials(
          deps,
          { referenceId: ref.value, serviceId: sid.value.serviceId },
          { sourceIp: req.ip },
        );
      },
    );

    api.post(
      '/ops/v1/notifications',
      {
        schema: {
          operationId: 'notifyPaymentResult',
          summary: 'Notify the payment result (CHARGED, CANCELED/CANCELLED, REJECTED, TIMEOUT, ERRED)',
          tags,
          headers: requestIdHeaders,
          body: notificationBody,
          response: { [NOTIFICATION_SUCCESS_STATUS]: notificationRecorded, ...serverApiErrors },
        },
      },
      async (req, reply) => {
        const parsed = parseWire(paymentNotificationSchema, req.body ?? undefined);
        if (!parsed.ok) return reply.code(400).send(validationError(parsed.issues));
        const warning = paymentStatusWarning(parsed.value.payment.status);
        const warnings = warning ? [warning] : [];
        addWarnings(req, warnings);
        await notifyPaymentResult(deps, parsed.value, { sourceIp: req.ip, warnings });
        return reply.code(NOTIFICATION_SUCCESS_STATUS).send(webCheckoutResult('0'));
      },
    );

    api.head(
      '/ops/v1/internal/health',
      {
        // @fastify/swagger leaves HEAD routes out unless asked (and suffixes their id with -head).
        config: { swagger: { exposeHeadRoute: true } },
        schema: {
          operationId: 'checkWebCheckoutHealth',
          summary: 'Health check: 204 when healthy (the partner side of the bidirectional check calls it)',
          tags,
          headers: requestIdHeaders,
          response: { 204: z.null().meta({ description: 'Healthy' }) },
        },
      },
      async (_req, reply) => {
        await recordHealthCallback(deps);
        return reply.code(204).send(null);
      },
    );
  });

  registerCheckoutRoutes(app, deps);
  registerWebCheckoutAdminRoutes(app, deps);
}
