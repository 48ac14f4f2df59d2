// Admin API of fault injection: the CLI's `cardport faults ...` and the dashboard read it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { parseInput } from '../core/validation.ts';
import {
  clearFaults,
  describeFaults,
  inboundErrors,
  listFaults,
  type PartnerFaults,
  setFaults,
  showFaults,
} from './service.ts';

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

const params = z.object({ partnerId: z.string().min(1).max(128) });

function partnerIdOf(req: FastifyRequest): string {
  const p = params.safeParse(req.params);
  if (!p.success) throw notFound('partner');
  return p.data.partnerId;
}

export function faultsView(f: PartnerFaults) {
  return { ...f, summary: describeFaults(f) };
}

export function registerFaultRoutes(
  app: FastifyInstance,
  ctx: Pick<AppContext, 'db' | 'clock' | 'requireAdmin'>,
) {
  const guard = { preHandler: ctx.requireAdmin };
  const list = async () => ({ faults: (await listFaults(ctx.db)).map(faultsView) });
  const show = async (req: FastifyRequest) => ({
    faults: faultsView(await showFaults(ctx.db, partnerIdOf(req))),
  });
  // /admin/api/... are read-only aliases for the dashboard.
  for (const prefix of ['/admin/v1', '/admin/api']) {
    app.get(`${prefix}/faults`, guard, list);
    app.get(`${prefix}/faults/:partnerId`, guard, show);
  }
  app.put('/admin/v1/faults/:partnerId', guard, async (req) => {
    const partnerId = partnerIdOf(req);
    const changes = parseInput(faultSettingsSchema, req.body, 'fault settings');
    const saved = await setFaults(ctx.db, ctx.clock, partnerId, changes);
    req.log.info({ partnerId, faults: describeFaults(saved) }, 'faults set');
    return { faults: faultsView(saved) };
  });
  app.delete('/admin/v1/faults/:partnerId', guard, async (req) => {
    const partnerId = partnerIdOf(req);
    const cleared = await clearFaults(ctx.db, partnerId);
    return { partnerId, cleared };
  });
}
