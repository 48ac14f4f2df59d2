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
  openapi.annotate('verifyPartner', {
    requestExample: { product: 'save-to-pay', partnerId: '11349048051655583313747295984994', faults: false },
    responseExamples: {
      '200': {
        report: {
          product: 'save-to-pay',
          partnerId: '11349048051655583313747295984994',
          faults: false,
          startedAt: 1795739940000,
          checks: [
            {
              id: 's2p.notify-url',
              title: 'the partner has a notification URL',
              status: 'pass',
              finding: 'https://bank.example/s2p',
              evidence: {
                request: 'GET /admin/v1/partners/11349048051655583313747295984994',
                answer: 'notifyUrl set',
                required: 'PROTOCOLS.md 1.7',
              },
            },
            {
              id: 's2p.wa-ready.blob',
              title: 'WA_READY is answered with an issuerBlob',
              status: 'fail',
              finding: 'the answer has no card.data.encryptedData',
              evidence: {
                request: 'POST https://bank.example/s2p/notifications {"event":{"type":"WA_READY",…}}',
                answer: '200 {}',
                required: '{"card":{"data":{"encryptedData":"…"}}} (PROTOCOLS.md 1.6)',
                deliveryId: 'dlv_7Hc2kQ9mZr4Tn1',
              },
            },
          ],
          summary: { pass: 1, fail: 1, warn: 0 },
          ok: false,
        },
      },
      '404': { error: { code: 'NOT_FOUND', message: 'partner not found' } },
    },
  });
}
