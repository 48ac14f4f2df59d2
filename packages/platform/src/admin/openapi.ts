// The deliveries admin API in the platform's OpenAPI document (/docs).
import { z } from 'zod';
import { deliveryStatuses } from '../core/delivery.ts';
import { openapi } from '../core/openapi.ts';

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  }),
});

const status = z.enum(deliveryStatuses);

const deliverySchema = z.object({
  id: z.string(),
  mode: z.enum(['durable', 'sync']),
  kind: z.string(),
  partnerId: z.string().nullable(),
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).describe('Credentials (Authorization, Cookie) are redacted'),
  body: z.unknown().describe('The JSON body sent, or null'),
  status,
  attempts: z.number().int(),
  nextAttemptAt: z
    .number()
    .int()
    .nullable()
    .describe('Epoch ms (sandbox clock) of the next attempt, when pending'),
  leaseUntil: z.number().int().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  deliveredAt: z.number().int().nullable(),
  injected: z.string().nullable().describe('What fault injection did to it (docs/verify.md)'),
});

const attemptSchema = z.object({
  attempt: z.number().int(),
  worker: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  httpStatus: z.number().int().nullable(),
  outcome: z.enum(['in_flight', 'delivered', 'retry', 'dead', 'failed', 'lease_expired', 'cancelled']),
  error: z.string().nullable(),
  response: z.string().nullable().describe('First 2 KiB of the answer, secret-looking JSON fields redacted'),
  retryAt: z.number().int().nullable(),
  injected: z.string().nullable().describe('Set when fault injection aborted this attempt'),
});

export function registerDeliveriesOpenApi(): void {
  openapi.registerTag({
    name: 'admin',
    description: 'Admin API used by the cardport CLI (bearer admin token).',
  });
  openapi.registerSecurityScheme('adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token in $CARDPORT_HOME/admin-token.',
  });
  const common = {
    '401': { description: 'Missing or wrong admin token', schema: errorSchema },
  };
  openapi.register({
    method: 'GET',
    path: '/admin/v1/deliveries',
    operationId: 'listDeliveries',
    summary: 'List outbound deliveries, newest first',
    description:
      'Durable jobs and recorded sync calls to partners. See docs/reliability.md for the retry schedule.',
    tags: ['admin'],
    security: ['adminToken'],
    parameters: [
      { name: 'status', in: 'query', schema: status },
      { name: 'kind', in: 'query', description: 'e.g. s2p.notification' },
      { name: 'partnerId', in: 'query' },
      { name: 'mode', in: 'query', schema: z.enum(['durable', 'sync']) },
      { name: 'limit', in: 'query', description: '1-500, default 50', schema: z.number().int() },
    ],
    responses: {
      '200': { description: 'The deliveries', schema: z.object({ deliveries: z.array(deliverySchema) }) },
      '400': { description: 'Invalid filter (details name the parameter)', schema: errorSchema },
      ...common,
    },
  });
  openapi.register({
    method: 'GET',
    path: '/admin/v1/deliveries/:id',
    operationId: 'getDelivery',
    summary: 'One delivery with every attempt',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': {
        description: 'The delivery and its attempts',
        schema: z.object({ delivery: deliverySchema, attempts: z.array(attemptSchema) }),
      },
      ...common,
      '404': { description: 'No such delivery', schema: errorSchema },
    },
  });
  openapi.register({
    method: 'POST',
    path: '/admin/v1/deliveries/:id/replay',
    operationId: 'replayDelivery',
    summary: 'Send a dead (or delivered) durable job again, now',
    description: 'The job gets the whole retry schedule again; its attempt history is kept.',
    tags: ['admin'],
    security: ['adminToken'],
    responses: {
      '200': { description: 'The job, pending again', schema: z.object({ delivery: deliverySchema }) },
      ...common,
      '404': { description: 'No such delivery', schema: errorSchema },
      '409': { description: 'Pending, in flight, or a sync call', schema: errorSchema },
    },
  });
  annotateAdminOperations();
}

const delivery = {
  id: 'dlv_7Hc2kQ9mZr4Tn1',
  mode: 'durable' as const,
  kind: 's2p.notification',
  partnerId: '11349048051655583313747295984994',
  method: 'POST',
  url: 'https://bank.example/s2p/notifications',
  headers: {
    'content-type': 'application/json',
    'request-id': '3f1c6a52-8d0e-4b7a-9c21-5e4d2f7b9a10',
    'partner-id': '11349048051655583313747295984994',
  },
  body: {
    event: { regId: '9d2f7e3a-41c8-4b6d-a0e5-7c3b18f6d294', type: 'WA_PROVISIONED' },
    wallet: { id: 'mwsiOvJeleAVyWNpiGiNcO' },
  },
  status: 'delivered',
  attempts: 2,
  nextAttemptAt: null,
  leaseUntil: null,
  lastStatus: 200,
  lastError: null,
  createdAt: 1795739940100,
  updatedAt: 1795739945300,
  deliveredAt: 1795739945300,
  injected: null,
};
const attempts = [
  {
    attempt: 1,
    worker: 'w-1',
    startedAt: 1795739940120,
    finishedAt: 1795739940180,
    latencyMs: 60,
    httpStatus: 503,
    outcome: 'retry' as const,
    error: 'HTTP 503',
    response: '{"code":"503.1","message":"Service Temporarily Unavailable"}',
    retryAt: 1795739945120,
    injected: null,
  },
  {
    attempt: 2,
    worker: 'w-1',
    startedAt: 1795739945200,
    finishedAt: 1795739945300,
    latencyMs: 100,
    httpStatus: 200,
    outcome: 'delivered' as const,
    error: null,
    response: '{}',
    retryAt: null,
    injected: null,
  },
];
const deliveryId = { name: 'id', in: 'path' as const, description: 'The delivery id', example: delivery.id };

/** Parameters and examples of the deliveries and clock operations. */
function annotateAdminOperations(): void {
  openapi.annotate('listDeliveries', {
    parameters: [
      { name: 'status', in: 'query', description: 'Only deliveries in this status', example: 'dead' },
      { name: 'kind', in: 'query', description: 'e.g. s2p.notification', example: 's2p.notification' },
      {
        name: 'partnerId',
        in: 'query',
        description: 'Only deliveries to this partner',
        example: '11349048051655583313747295984994',
      },
      { name: 'mode', in: 'query', description: 'durable jobs or recorded sync calls', example: 'durable' },
      { name: 'limit', in: 'query', description: '1-500, default 50', example: 50 },
    ],
    responseExamples: { '200': { deliveries: [delivery] } },
  });
  openapi.annotate('getDelivery', {
    parameters: [deliveryId],
    responseExamples: { '200': { delivery, attempts } },
  });
  openapi.annotate('replayDelivery', {
    parameters: [deliveryId],
    responseExamples: {
      '200': {
        delivery: {
          ...delivery,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: 1795740000000,
          deliveredAt: null,
        },
      },
      '409': { error: { code: 'CONFLICT', message: 'the delivery is still pending' } },
    },
  });
  // The clock operations (admin/clock.ts); answers as a sandbox returned them.
  openapi.annotate('showClock', {
    responseExamples: {
      '200': {
        now: 1795739940760,
        nowIso: '2026-11-27T00:39:00.760Z',
        offsetMs: 0,
      },
    },
  });
  openapi.annotate('advanceClock', {
    requestExample: { duration: '1h' },
    responseExamples: {
      '200': {
        now: 1795743540777,
        nowIso: '2026-11-27T01:39:00.777Z',
        offsetMs: 3600000,
        advancedMs: 3600000,
      },
    },
  });
  openapi.annotate('resetClock', {
    responseExamples: {
      '200': {
        now: 1795739940786,
        nowIso: '2026-11-27T00:39:00.786Z',
        offsetMs: 0,
      },
    },
  });
}
