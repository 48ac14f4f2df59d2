// The wire of POST /admin/v1/verify: the request and the report, with the examples /docs shows.
import { z } from 'zod';
import { verifyProducts } from './report.ts';

const id = z.string().min(1).max(128);
const partnerIdExample = '11349048051655583313747295984994';

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
  .strict()
  .meta({ examples: [{ product: 'save-to-pay', partnerId: partnerIdExample, faults: false }] });

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

export const verifyResponse = z
  .object({
    report: z.object({
      product: z.string(),
      partnerId: z.string(),
      faults: z.boolean(),
      startedAt: z.number().int(),
      checks: z.array(checkSchema),
      summary: z.object({ pass: z.number().int(), fail: z.number().int(), warn: z.number().int() }),
      ok: z.boolean(),
    }),
  })
  .meta({
    description: 'The report (ok is false when any check failed)',
    examples: [
      {
        report: {
          product: 'save-to-pay',
          partnerId: partnerIdExample,
          faults: false,
          startedAt: 1795739940000,
          checks: [
            {
              id: 's2p.notify-url',
              title: 'the partner has a notification URL',
              status: 'pass',
              finding: 'https://bank.example/s2p',
              evidence: {
                request: `GET /admin/v1/partners/${partnerIdExample}`,
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
    ],
  });
