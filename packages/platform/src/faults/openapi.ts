// The fault injection admin API in the platform's OpenAPI document (/docs).
import { z } from 'zod';
import { openapi } from '../core/openapi.ts';
import { faultSettingsSchema } from './routes.ts';

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const faultsSchema = faultSettingsSchema.required().extend({
  partnerId: z.string(),
  inboundInjected: z.number().int().describe('Inbound calls answered with the injected error so far'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  summary: z.string(),
});
const common = {
  '401': { description: 'Missing or wrong admin token', schema: errorSchema },
  '404': { description: 'No such partner', schema: errorSchema },
};

export function registerFaultsOpenApi(): void {
  openapi.register({
    method: 'GET',
    path: '/admin/v1/faults',
    operationId: 'listFaults',
    summary: 'Faults set per partner',
    description: 'Also at GET /admin/api/faults (the dashboard). See docs/verify.md.',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': {
        description: 'Every partner with faults',
        schema: z.object({ faults: z.array(faultsSchema) }),
      },
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/faults/:partnerId',
    operationId: 'getFaults',
    summary: "A partner's faults (all off when none are set)",
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': { description: 'The settings', schema: z.object({ faults: faultsSchema }) },
      ...common,
    },
  });
  openapi.register({
    method: 'PUT',
    path: '/admin/v1/faults/:partnerId',
    operationId: 'setFaults',
    summary: 'Make the platform misbehave toward a partner',
    description: 'Absent fields keep their value. See docs/verify.md for what each fault does.',
    tags: ['admin'],
    security: ['adminToken'],
    requestBody: { schema: faultSettingsSchema },
    responses: {
      '200': { description: 'The settings now', schema: z.object({ faults: faultsSchema }) },
      '400': { description: 'A value out of range', schema: errorSchema },
      ...common,
    },
  });
  openapi.register({
    method: 'DELETE',
    path: '/admin/v1/faults/:partnerId',
    operationId: 'clearFaults',
    summary: 'Stop injecting faults for a partner',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': {
        description: 'Whether any were set',
        schema: z.object({ partnerId: z.string(), cleared: z.boolean() }),
      },
      '401': common['401'],
    },
  });
  annotateFaultsOperations();
}

/** Parameters and examples of the fault operations (answers as a sandbox returned them). */
function annotateFaultsOperations(): void {
  const partnerId = {
    name: 'partnerId',
    in: 'path' as const,
    description: 'The partner whose traffic the faults apply to',
    example: '11349048051655583313747295984994',
  };
  openapi.annotate('listFaults', {
    responseExamples: {
      '200': {
        faults: [
          {
            partnerId: '11349048051655583313747295984994',
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
          },
        ],
      },
    },
  });
  openapi.annotate('getFaults', {
    parameters: [partnerId],
    responseExamples: {
      '200': {
        faults: {
          partnerId: '11349048051655583313747295984994',
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
        },
      },
    },
  });
  openapi.annotate('setFaults', {
    parameters: [partnerId],
    requestExample: { duplicates: 1, failFirst: 2 },
    responseExamples: {
      '200': {
        faults: {
          partnerId: '11349048051655583313747295984994',
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
        },
      },
    },
  });
  openapi.annotate('clearFaults', {
    parameters: [partnerId],
    responseExamples: {
      '200': {
        partnerId: '11349048051655583313747295984994',
        cleared: true,
      },
    },
  });
}
