// Web Checkout's dashboard page (data from the admin API, token from the main dashboard) and the
// admin API the CLI uses: test cards, the wallet's answer on the person's behalf, transactions,
// health probes. Bodies are validated here; the operations receive typed input.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PlatformError } from '../core/errors.ts';
import { addTestCardByEmail, answerAsWallet, listTransactionsForAdmin } from './automation.ts';
import type { WebCheckoutRouteDeps } from './deps.ts';
import { listHealthProbes, probeServiceHealth } from './health.ts';
import { servePageScript } from './page-script.ts';
import { dashboardPage } from './pages/dashboard.ts';

const dashboardStyles = readFileSync(new URL('./pages/dashboard.css', import.meta.url), 'utf8');

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

const testCardBody = z.strictObject({
  account: z.string().min(1),
  brand: z.enum(['VI', 'MC', 'AX', 'DS']),
  pan: z.string().optional(),
  deviceId: z.string().optional(),
});

const approvalBody = z.strictObject({
  account: z.string().min(1),
  transactionId: z.string().min(1),
  cardLast4: z
    .string()
    .regex(/^[0-9]{4}$/)
    .optional(),
  decline: z.boolean().optional(),
});

export function registerWebCheckoutAdminRoutes(app: FastifyInstance, deps: WebCheckoutRouteDeps): void {
  // ---- Dashboard page ---------------------------------------------------------------------------
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
  servePageScript(
    app,
    deps.state,
    '/admin/web-checkout/assets/dashboard.js',
    new URL('./pages/dashboard.browser.ts', import.meta.url),
  );
  app.get('/admin/web-checkout/assets/dashboard.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(dashboardStyles),
  );

  // ---- Admin API (the CLI) --------------------------------------------------------------------
  app.register(async (admin) => {
    admin.addHook('preHandler', deps.requireAdmin);

    admin.post('/admin/v1/web-checkout/test-cards', async (req, reply) => {
      const body = testCardBody.safeParse(req.body ?? {});
      if (!body.success) throw invalid(body.error);
      return reply.code(201).send(await addTestCardByEmail(deps, body.data));
    });

    admin.post('/admin/v1/web-checkout/approvals', async (req) => {
      const body = approvalBody.safeParse(req.body ?? {});
      if (!body.success) throw invalid(body.error);
      return answerAsWallet(deps, body.data);
    });

    admin.get<{ Querystring: { serviceId?: string } }>(
      '/admin/v1/web-checkout/transactions',
      async (req) => ({
        transactions: await listTransactionsForAdmin(
          deps,
          req.query.serviceId ? { serviceId: req.query.serviceId } : {},
        ),
      }),
    );

    admin.post<{ Params: { serviceId: string } }>(
      '/admin/v1/web-checkout/services/:serviceId/health-probes',
      async (req, reply) =>
        reply.code(201).send(await probeServiceHealth(deps, { serviceId: req.params.serviceId })),
    );
    admin.get<{ Params: { serviceId: string } }>(
      '/admin/v1/web-checkout/services/:serviceId/health-probes',
      async (req) => ({ probes: await listHealthProbes(deps, req.params.serviceId) }),
    );
  });
}
