// Admin API of the conformance kit: POST /admin/v1/verify runs one product's checks against a
// partner and returns the report (`cardport verify` is its client).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { describeApi, refuseInvalid, type ZodTypeProvider } from '../core/routes.ts';
import { findPartner } from '../partners/service.ts';
import { verifyRequestSchema, verifyResponse } from './schemas.ts';
import { runVerify } from './service.ts';

export function registerVerifyRoutes(app: FastifyInstance, ctx: AppContext): void {
  describeApi(app, adminApi);
  app.withTypeProvider<ZodTypeProvider>().post(
    '/admin/v1/verify',
    {
      // The admin check runs before validation.
      preValidation: ctx.requireAdmin,
      schemaErrorFormatter: refuseInvalid({ body: 'verify request' }),
      schema: {
        operationId: 'verifyPartner',
        summary: "Run the conformance kit against a partner's own server",
        description: 'What `cardport verify` calls. Every check and what it proves: docs/verify.md.',
        tags: ['admin'],
        security: [{ adminToken: [] }],
        body: verifyRequestSchema,
        response: {
          200: verifyResponse,
          400: platformErrorSchema.meta({ description: 'Invalid request' }),
          401: platformErrorSchema.meta({ description: 'Missing or wrong admin token' }),
          404: platformErrorSchema.meta({
            description: 'No such partner',
            examples: [{ error: { code: 'NOT_FOUND', message: 'partner not found' } }],
          }),
        },
      },
    },
    async (req) => {
      const input = req.body;
      if (input.awaitTransaction && input.account === undefined)
        throw invalidInput('awaitTransaction needs the wallet account that approves it (account)');
      if (!(await findPartner(ctx.db, input.partnerId))) throw notFound('partner');
      const report = await runVerify(ctx, input);
      req.log.info(
        { partnerId: input.partnerId, product: input.product, ...report.summary },
        'verify: partner checked',
      );
      return { report };
    },
  );
}
