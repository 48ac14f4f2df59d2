// Admin API of fault injection: the CLI's `cardport faults ...` and the dashboard read it.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { adminApi, platformErrorSchema } from '../core/http.ts';
import { describeApi, refuseInvalid, type ZodTypeProvider } from '../core/routes.ts';
import {
  clearFaultsResponse,
  faultsListResponse,
  faultsResponse,
  partnerParams,
  setFaultsBody,
} from './schemas.ts';
import {
  clearFaults,
  describeFaults,
  listFaults,
  type PartnerFaults,
  setFaults,
  showFaults,
} from './service.ts';

export function faultsView(f: PartnerFaults) {
  return { ...f, summary: describeFaults(f) };
}

const unauthorized = platformErrorSchema.meta({ description: 'Missing or wrong admin token' });
const noSuchPartner = platformErrorSchema.meta({ description: 'No such partner' });
const admin = { tags: ['admin'], security: [{ adminToken: [] }] };

export function registerFaultRoutes(
  app: FastifyInstance,
  ctx: Pick<AppContext, 'db' | 'clock' | 'requireAdmin' | 'state'>,
) {
  describeApi(app, adminApi);
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The admin check runs before validation: a caller without the token learns nothing of the body.
  const guard = ctx.requireAdmin;
  // A partner id that cannot be one names no partner: 404, as for an unknown one.
  const schemaErrorFormatter = refuseInvalid({ body: 'fault settings', params: () => notFound('partner') });
  // /admin/api/... are read-only aliases for the dashboard (not in the document).
  for (const prefix of ['/admin/v1', '/admin/api']) {
    const documented = prefix === '/admin/v1';
    api.get(
      `${prefix}/faults`,
      {
        preValidation: guard,
        schema: documented
          ? {
              operationId: 'listFaults',
              summary: 'Faults set per partner',
              description: 'Also at GET /admin/api/faults (the dashboard). See docs/verify.md.',
              ...admin,
              response: { 200: faultsListResponse, 401: unauthorized },
            }
          : {},
      },
      async () => ({ faults: (await listFaults(ctx.db)).map(faultsView) }),
    );
    api.get(
      `${prefix}/faults/:partnerId`,
      {
        preValidation: guard,
        schemaErrorFormatter,
        schema: {
          params: partnerParams,
          ...(documented
            ? {
                operationId: 'getFaults',
                summary: "A partner's faults (all off when none are set)",
                ...admin,
                response: { 200: faultsResponse, 401: unauthorized, 404: noSuchPartner },
              }
            : {}),
        },
      },
      async (req) => ({ faults: faultsView(await showFaults(ctx.db, req.params.partnerId)) }),
    );
  }
  api.put(
    '/admin/v1/faults/:partnerId',
    {
      preValidation: guard,
      schemaErrorFormatter,
      schema: {
        operationId: 'setFaults',
        summary: 'Make the platform misbehave toward a partner',
        description: 'Absent fields keep their value. See docs/verify.md for what each fault does.',
        ...admin,
        params: partnerParams,
        body: setFaultsBody,
        response: {
          200: faultsResponse.meta({ description: 'The settings now' }),
          400: platformErrorSchema.meta({ description: 'A value out of range' }),
          401: unauthorized,
          404: noSuchPartner,
        },
      },
    },
    async (req) => {
      const { partnerId } = req.params;
      const saved = await setFaults(ctx, { partnerId, changes: req.body ?? {} });
      req.log.info({ partnerId, faults: describeFaults(saved) }, 'faults set');
      return { faults: faultsView(saved) };
    },
  );
  api.delete(
    '/admin/v1/faults/:partnerId',
    {
      preValidation: guard,
      schemaErrorFormatter,
      schema: {
        operationId: 'clearFaults',
        summary: 'Stop injecting faults for a partner',
        ...admin,
        params: partnerParams,
        response: { 200: clearFaultsResponse, 401: unauthorized },
      },
    },
    async (req) => {
      const { partnerId } = req.params;
      return { partnerId, cleared: await clearFaults(ctx, { partnerId }) };
    },
  );
}
