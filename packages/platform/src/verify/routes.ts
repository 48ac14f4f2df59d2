// Admin API of the conformance kit: POST /admin/v1/verify runs one product's checks against a
// partner and returns the report (`cardport verify` is its client).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { parseInput } from '../core/validation.ts';
import { findPartner } from '../partners/service.ts';
import { verifyProducts } from './report.ts';
import { runVerify } from './service.ts';

const id = z.string().min(1).max(128);

export const verifyRequestSchema = z
  .object({
    product: z.enum(verifyProducts),
    partnerId: id,
    faults: z.boolean().optional(),
    regId: id.optional(),
    cardId: id.optional(),
    refId: id.optional(),
    link: z.string().min(1).max(16_384).optional(),
    serviceId: id.optional(),
    awaitTransaction: z.boolean().optional(),
    account: z.string().email().max(254).optional(),
    // Both bounded so the admin call ends well within an HTTP client's 300 s header timeout.
    waitSeconds: z.number().int().min(1).max(180).optional(),
    windowSeconds: z.number().int().min(1).max(100).optional(),
  })
  .strict();

export function registerVerifyRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/admin/v1/verify', { preHandler: ctx.requireAdmin }, async (req) => {
    const input = parseInput(verifyRequestSchema, req.body, 'verify request');
    if (input.awaitTransaction && input.account === undefined)
      throw invalidInput('awaitTransaction needs the wallet account that approves it (account)');
    if (!(await findPartner(ctx.db, input.partnerId))) throw notFound('partner');
    const report = await runVerify(ctx, input);
    req.log.info(
      { partnerId: input.partnerId, product: input.product, ...report.summary },
      'verify: partner checked',
    );
    return { report };
  });
}
