// The wire of the admin API of deliveries and of the sandbox clock: declared once, with the
// examples /docs shows (answers as a sandbox returned them).
import { z } from 'zod';
import { deliveryStatuses } from '../core/delivery-statuses.ts';

const status = z.enum(deliveryStatuses);

export const deliverySchema = z.object({
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

export const attemptSchema = z.object({
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

/** GET /admin/v1/deliveries: checked by the route itself (its own reasons), documented here. */
export const listDeliveriesQuery = z
  .object({
    status: z
      .enum(deliveryStatuses)
      .optional()
      .meta({ description: 'Only deliveries in this status', examples: ['dead'] }),
    kind: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'e.g. s2p.notification', examples: ['s2p.notification'] }),
    partnerId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({
        description: 'Only deliveries to this partner',
        examples: ['11349048051655583313747295984994'],
      }),
    mode: z
      .enum(['durable', 'sync'])
      .optional()
      .meta({ description: 'durable jobs or recorded sync calls', examples: ['durable'] }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: '1-500, default 50', examples: [50] }),
  })
  .strict();

export const deliveryIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'The delivery id', examples: [delivery.id] }),
});

export const deliveriesResponse = z
  .object({ deliveries: z.array(deliverySchema) })
  .meta({ description: 'The deliveries', examples: [{ deliveries: [delivery] }] });

export const deliveryResponse = z
  .object({ delivery: deliverySchema, attempts: z.array(attemptSchema) })
  .meta({ description: 'The delivery and its attempts', examples: [{ delivery, attempts }] });

export const replayedResponse = z.object({ delivery: deliverySchema }).meta({
  description: 'The job, pending again',
  examples: [
    {
      delivery: {
        ...delivery,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 1795740000000,
        deliveredAt: null,
      },
    },
  ],
});

const clock = z.object({
  now: z.number().int().describe('Epoch ms of the sandbox clock'),
  nowIso: z.string(),
  offsetMs: z.number().int().describe('How far the sandbox clock is ahead of real time'),
});

/** The body of POST /admin/v1/clock/advance: checked by the route (its own message), documented here. */
export const advanceClockBody = z
  .object({
    duration: z
      .union([z.string().min(1), z.number().int().positive()])
      .describe('A duration such as 30s, 5m, 2h, 1d, or milliseconds'),
  })
  .strict()
  .meta({ examples: [{ duration: '1h' }] });

export const clockResponse = clock.meta({
  description: '{now, nowIso, offsetMs}',
  examples: [{ now: 1795739940760, nowIso: '2026-11-27T00:39:00.760Z', offsetMs: 0 }],
});

export const resetClockResponse = clock.meta({
  description: 'The sandbox time, back on real time',
  examples: [{ now: 1795739940786, nowIso: '2026-11-27T00:39:00.786Z', offsetMs: 0 }],
});

export const advancedClockResponse = clock.extend({ advancedMs: z.number().int() }).meta({
  description: '{now, nowIso, offsetMs, advancedMs}',
  examples: [
    { now: 1795743540777, nowIso: '2026-11-27T01:39:00.777Z', offsetMs: 3600000, advancedMs: 3600000 },
  ],
});
