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

const status = z.enum(deliveryStatuses as [string, ...string[]]);

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
}
