// Admin API of outbound deliveries: list, show (with attempts), replay. The CLI's `cardport
// deliveries ...` and the dashboard are its clients.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import {
  type AttemptRecord,
  type DeliveryRecord,
  deliveryStatuses,
  redactHeaders,
} from '../core/delivery.ts';
import { invalidInput, notFound } from '../core/errors.ts';
import { registerPlatformFamily } from '../core/http.ts';

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

const listDeliveriesQuery = z
  .object({
    status: z.enum(deliveryStatuses).optional(),
    kind: z.string().min(1).max(100).optional(),
    partnerId: z.string().min(1).max(128).optional(),
    mode: z.enum(['durable', 'sync']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

const idParams = z.object({ id: z.string().min(1).max(100) });

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

function parseId(params: unknown): string {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw notFound('delivery');
  return parsed.data.id;
}

export function registerDeliveryRoutes(
  app: FastifyInstance,
  ctx: Pick<AppContext, 'delivery' | 'requireAdmin'>,
): void {
  const guard = { preHandler: ctx.requireAdmin };
  // Every domain's admin routes live under /admin/v1/: JSON only, the platform envelope.
  registerPlatformFamily(app, '/admin/v1/', { jsonOnly: true, headers: ['authorization'] });

  app.get('/admin/v1/deliveries', guard, async (req) => {
    const filter = parseQuery(req.query);
    const deliveries = await ctx.delivery.list({ ...filter, limit: filter.limit ?? 50 });
    return { deliveries: deliveries.map(deliveryView) };
  });

  app.get('/admin/v1/deliveries/:id', guard, async (req) => {
    const details = await ctx.delivery.get(parseId(req.params));
    if (!details) throw notFound('delivery');
    return { delivery: deliveryView(details.delivery), attempts: details.attempts };
  });

  app.post('/admin/v1/deliveries/:id/replay', guard, async (req) => {
    const replayed = await ctx.delivery.replay(parseId(req.params));
    return { delivery: deliveryView(replayed) };
  });
}
