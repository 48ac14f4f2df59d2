// Admin API of outbound deliveries: list, show (with attempts), replay. The CLI's `cardport
// deliveries ...` and the dashboard are its clients.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import {
  type AttemptRecord,
  type DeliveryRecord,
  deliveryStatuses,
  redactHeaders,
} from '../core/delivery.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { adminApi, platformErrorSchema, registerPlatformFamily } from '../core/http.ts';
import { describeApi, documentedOnly, refuseInvalid, type ZodTypeProvider } from '../core/routes.ts';
import {
  deliveriesResponse,
  deliveryIdParams,
  deliveryResponse,
  listDeliveriesQuery,
  replayedResponse,
} from './schemas.ts';

/** A delivery as the admin API shows it: body parsed, credentials in headers redacted. */
export interface DeliveryView {
  id: string;
  mode: DeliveryRecord['mode'];
  kind: string;
  partnerId: string | null;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  status: DeliveryRecord['status'];
  attempts: number;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
  /** What fault injection did to this delivery (docs/verify.md); null when nothing. */
  injected: string | null;
}

export function deliveryView(d: DeliveryRecord): DeliveryView {
  let body: unknown = null;
  if (d.bodyText !== null) {
    try {
      body = JSON.parse(d.bodyText);
    } catch {
      body = d.bodyText;
    }
  }
  return {
    id: d.id,
    mode: d.mode,
    kind: d.kind,
    partnerId: d.partnerId,
    method: d.method,
    url: d.url,
    headers: redactHeaders(d.headers),
    body,
    status: d.status,
    attempts: d.attempts,
    // Only a pending job has a next attempt; for the others the column is bookkeeping.
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    leaseUntil: d.status === 'in_flight' ? d.leaseUntil : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    deliveredAt: d.deliveredAt,
    injected: d.injected,
  };
}

export type AttemptView = AttemptRecord;

function parseQuery(query: unknown) {
  const parsed = listDeliveriesQuery.safeParse(query ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'query',
      reason:
        issue.code === 'unrecognized_keys'
          ? 'unknown parameter (use status, kind, partnerId, mode, limit)'
          : issue.path[0] === 'status'
            ? `one of ${deliveryStatuses.join(', ')}`
            : issue.path[0] === 'limit'
              ? 'an integer from 1 to 500'
              : issue.message,
    }));
    throw invalidInput('invalid delivery filter', details);
  }
  return parsed.data as {
    status?: DeliveryRecord['status'];
    kind?: string;
    partnerId?: string;
    mode?: DeliveryRecord['mode'];
    limit?: number;
  };
}

const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
const noSuchDelivery = platformErrorSchema.meta({ description: 'No such delivery' });
const admin = { tags: ['admin'], security: [{ adminToken: [] }] };

export function registerDeliveryRoutes(
  app: FastifyInstance,
  ctx: Pick<AppContext, 'delivery' | 'requireAdmin'>,
): void {
  // Every domain's admin routes live under /admin/v1/: JSON only, the platform envelope.
  registerPlatformFamily(app, '/admin/v1/', { jsonOnly: true, headers: ['authorization'] });
  describeApi(app, adminApi);
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The admin check runs before validation; an id that cannot be one names no delivery (404).
  const byId = {
    preValidation: ctx.requireAdmin,
    schemaErrorFormatter: refuseInvalid({ params: () => notFound('delivery') }),
  };

  api.get(
    '/admin/v1/deliveries',
    {
      preValidation: ctx.requireAdmin,
      schema: {
        operationId: 'listDeliveries',
        summary: 'List outbound deliveries, newest first',
        description:
          'Durable jobs and recorded sync calls to partners. See docs/reliability.md for the retry schedule.',
        ...admin,
        // Checked by parseQuery, whose reasons name the allowed values.
        querystring: documentedOnly(listDeliveriesQuery),
        response: {
          200: deliveriesResponse,
          400: platformErrorSchema.meta({ description: 'Invalid filter (details name the parameter)' }),
          401: unauthorized,
        },
      },
    },
    async (req) => {
      const filter = parseQuery(req.query);
      const deliveries = await ctx.delivery.list({ ...filter, limit: filter.limit ?? 50 });
      return { deliveries: deliveries.map(deliveryView) };
    },
  );

  api.get(
    '/admin/v1/deliveries/:id',
    {
      ...byId,
      schema: {
        operationId: 'getDelivery',
        summary: 'One delivery with every attempt',
        ...admin,
        params: deliveryIdParams,
        response: { 200: deliveryResponse, 401: unauthorized, 404: noSuchDelivery },
      },
    },
    async (req) => {
      const details = await ctx.delivery.get(req.params.id);
      if (!details) throw notFound('delivery');
      return { delivery: deliveryView(details.delivery), attempts: details.attempts };
    },
  );

  api.post(
    '/admin/v1/deliveries/:id/replay',
    {
      ...byId,
      schema: {
        operationId: 'replayDelivery',
        summary: 'Send a dead (or delivered) durable job again, now',
        description: 'The job gets the whole retry schedule again; its attempt history is kept.',
        ...admin,
        params: deliveryIdParams,
        response: {
          200: replayedResponse,
          401: unauthorized,
          404: noSuchDelivery,
          409: platformErrorSchema.meta({
            description: 'Pending, in flight, or a sync call',
            examples: [{ error: { code: 'CONFLICT', message: 'the delivery is still pending' } }],
          }),
        },
      },
    },
    async (req) => ({ delivery: deliveryView(await ctx.delivery.replay(req.params.id)) }),
  );
}
