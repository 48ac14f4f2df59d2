// The wire of the fault injection admin API (/admin/v1/faults): declared once, with the examples
// /docs shows (answers as a sandbox returned them).
import { z } from 'zod';
import { inboundErrors } from './service.ts';

const partnerIdExample = '11349048051655583313747295984994';

/** The body of PUT /admin/v1/faults/:partnerId; absent fields keep their current value. */
export const faultSettingsSchema = z
  .object({
    duplicates: z.number().int().min(0).max(5),
    delayMs: z.number().int().min(0).max(86_400_000),
    reorderWindowMs: z.number().int().min(0).max(3_600_000),
    failFirst: z.number().int().min(0).max(20),
    inboundError: z.enum(inboundErrors).nullable(),
    inboundRate: z.number().min(0).max(1),
    retryAfterSeconds: z.number().int().min(0).max(86_400),
  })
  .partial()
  .strict();

/** A PUT without a body (Fastify validates it as null) changes nothing and answers the settings. */
export const setFaultsBody = faultSettingsSchema
  .nullish()
  .meta({ examples: [{ duplicates: 1, failFirst: 2 }] });

export const partnerParams = z.object({
  partnerId: z
    .string()
    .min(1)
    .max(128)
    .meta({ description: 'The partner whose traffic the faults apply to', examples: [partnerIdExample] }),
});

const faultsExample = {
  partnerId: partnerIdExample,
  duplicates: 1,
  delayMs: 0,
  reorderWindowMs: 0,
  failFirst: 2,
  inboundError: null,
  inboundRate: 0,
  retryAfterSeconds: 30,
  inboundInjected: 0,
  createdAt: 1795739940805,
  updatedAt: 1795739940805,
  summary: 'duplicates=1 failFirst=2',
};

const faultsSchema = faultSettingsSchema.required().extend({
  partnerId: z.string(),
  inboundInjected: z.number().int().describe('Inbound calls answered with the injected error so far'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  summary: z.string(),
});

export const faultsListResponse = z
  .object({ faults: z.array(faultsSchema) })
  .meta({ description: 'Every partner with faults', examples: [{ faults: [faultsExample] }] });

export const faultsResponse = z
  .object({ faults: faultsSchema })
  .meta({ description: 'The settings', examples: [{ faults: faultsExample }] });

export const clearFaultsResponse = z
  .object({ partnerId: z.string(), cleared: z.boolean() })
  .meta({ description: 'Whether any were set', examples: [{ partnerId: partnerIdExample, cleared: true }] });
