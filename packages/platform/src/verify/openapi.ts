// The conformance kit's admin API in the platform's OpenAPI document (/docs).
import { z } from 'zod';
import { openapi } from '../core/openapi.ts';
import { verifyRequestSchema } from './routes.ts';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const checkSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'warn']),
  finding: z.string(),
  evidence: z.object({
    request: z.string(),
    answer: z.string(),
    required: z.string(),
    deliveryId: z.string().optional(),
  }),
});

export function registerVerifyOpenApi(): void {
  openapi.register({
    method: 'POST',
    path: '/admin/v1/verify',
    operationId: 'verifyPartner',
    summary: "Run the conformance kit against a partner's own server",
    description: 'What `cardport verify` calls. Every check and what it proves: docs/verify.md.',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: verifyRequestSchema },
    responses: {
      '200': {
        description: 'The report (ok is false when any check failed)',
        schema: z.object({
          report: z.object({
            product: z.string(),
            partnerId: z.string(),
            faults: z.boolean(),
            startedAt: z.number().int(),
            checks: z.array(checkSchema),
            summary: z.object({ pass: z.number().int(), fail: z.number().int(), warn: z.number().int() }),
            ok: z.boolean(),
          }),
        }),
      },
      '400': { description: 'Invalid request', schema: errorSchema },
      '401': { description: 'Missing or wrong admin token', schema: errorSchema },
      '404': { description: 'No such partner', schema: errorSchema },
    },
  });
}
