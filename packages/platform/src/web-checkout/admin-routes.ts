// Web Checkout's dashboard page (data from the admin API, token from the main dashboard) and the
// admin API the CLI uses: test cards, the wallet's answer on the person's behalf, transactions,
// health probes. Bodies are validated here; the operations receive typed input.
import type { FastifyInstance } from 'fastify';
import { servePageScript } from '../core/bundles.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { registerPagePolicy } from '../core/page-policy.ts';
import { describeApi, type ZodTypeProvider } from '../core/routes.ts';
import { serveStaticFiles } from '../core/static-files.ts';
import { addTestCardByEmail, answerAsWallet, listTransactionsForAdmin } from './automation.ts';
import type { WebCheckoutRouteDeps } from './deps.ts';
import { listHealthProbes, probeServiceHealth } from './health.ts';
import { dashboardPage } from './pages/dashboard.ts';
import {
  addedTestCard,
  adminTransactions,
  approvalBody,
  automatedAnswer,
  healthProbes,
  probedHealth,
  serviceParams,
  testCardBody,
  transactionsQuery,
} from './schemas.ts';

const invalidBody = platformErrorSchema.meta({ description: 'A field missing or invalid' });
const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
const noAccount = platformErrorSchema.meta({ description: 'No wallet account has this email' });
const noService = platformErrorSchema.meta({ description: 'No such service' });

export function registerWebCheckoutAdminRoutes(app: FastifyInstance, deps: WebCheckoutRouteDeps): void {
  // ---- Dashboard page ---------------------------------------------------------------------------
  registerPagePolicy(app, {
    prefix: '/admin/web-checkout',
    contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
    cacheControl: 'no-store',
  });
  app.get('/admin/web-checkout', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(dashboardPage()),
  );
  servePageScript(
    app,
    deps.state,
    '/admin/web-checkout/assets/dashboard.js',
    new URL('./pages/dashboard.browser.ts', import.meta.url),
  );
  serveStaticFiles(app, {
    root: new URL('./pages/', import.meta.url),
    prefix: '/admin/web-checkout/assets/',
    files: { 'dashboard.css': 'no-cache' },
  });

  // ---- Admin API (the CLI) --------------------------------------------------------------------
  describeApi(app, adminApi);
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The admin check runs before validation: a caller without the token learns nothing of the body.
  const admin = { preValidation: deps.requireAdmin };
  const doc = { tags: ['admin'], security: [{ adminToken: [] }] };
  const errors = { 400: invalidBody, 401: unauthorized };

  api.post(
    '/admin/v1/web-checkout/test-cards',
    {
      ...admin,
      schema: {
        operationId: 'addTestCardByEmail',
        summary: "Add a sandbox test card to a wallet account's device (cardport wallet add-test-card)",
        ...doc,
        body: testCardBody,
        response: {
          201: addedTestCard,
          ...errors,
          404: noAccount,
          409: platformErrorSchema.meta({ description: 'No free test card' }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await addTestCardByEmail(deps, req.body)),
  );

  api.post(
    '/admin/v1/web-checkout/approvals',
    {
      ...admin,
      schema: {
        operationId: 'answerAsWallet',
        summary:
          'Answer a transaction as the wallet would: approve with a card, or decline (cardport wallet approve)',
        ...doc,
        body: approvalBody,
        response: {
          200: automatedAnswer,
          ...errors,
          404: noAccount,
          409: platformErrorSchema.meta({ description: 'Already answered, or no card can pay' }),
        },
      },
    },
    async (req) => answerAsWallet(deps, req.body),
  );

  api.get(
    '/admin/v1/web-checkout/transactions',
    {
      ...admin,
      schema: {
        operationId: 'listTransactionsForAdmin',
        summary: 'Web Checkout transactions, newest first',
        ...doc,
        querystring: transactionsQuery,
        response: { 200: adminTransactions, ...errors },
      },
    },
    async (req) => ({
      transactions: await listTransactionsForAdmin(
        deps,
        req.query.serviceId ? { serviceId: req.query.serviceId } : {},
      ),
    }),
  );

  api.post(
    '/admin/v1/web-checkout/services/:serviceId/health-probes',
    {
      ...admin,
      schema: {
        operationId: 'probeServiceHealth',
        summary: "Probe a service's registered health URL now (cardport checkout health)",
        ...doc,
        params: serviceParams,
        response: { 201: probedHealth, ...errors, 404: noService },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await probeServiceHealth(deps, { serviceId: req.params.serviceId })),
  );
  api.get(
    '/admin/v1/web-checkout/services/:serviceId/health-probes',
    {
      ...admin,
      schema: {
        operationId: 'listHealthProbes',
        summary: "A service's last health probes, newest first",
        ...doc,
        params: serviceParams,
        response: { 200: healthProbes, ...errors, 404: noService },
      },
    },
    async (req) => ({ probes: await listHealthProbes(deps, req.params.serviceId) }),
  );
}
