// Admin API of partner onboarding (main listener, admin token only). Bodies are unchecked here:
// the service parses them with the shared schemas (schemas.ts), so direct callers get the same
// field-named errors; errors use the platform envelope {error:{code,message,details}}.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import {
  type CreateCardInput,
  type CreateCertificateInput,
  type CreatePartnerInput,
  type CreateServiceInput,
  listFilterSchema,
  parseInput,
  type RegisterOutboundCertificateInput,
  type UpdatePartnerInput,
} from './schemas.ts';
import {
  createCard,
  createCertificate,
  createPartner,
  createService,
  findCard,
  findService,
  listCards,
  listPartners,
  listServices,
  registerOutboundCertificate,
  revokeCertificate,
  revokePartner,
  showPartner,
  updatePartner,
} from './service.ts';

type PartnerParams = { Params: { partnerId: string } };
type CertificateParams = { Params: { partnerId: string; certificateId: string } };

function listFilter(query: unknown): { partnerId?: string } {
  const { partnerId } = parseInput(listFilterSchema, query, 'query string');
  return partnerId ? { partnerId } : {};
}

/** Routes under /admin/v1 for partners, their certificates, cards and checkout services. */
export function partnerRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.addHook('preHandler', ctx.requireAdmin);

    app.post('/admin/v1/partners', async (req, reply) => {
      reply.code(201);
      return createPartner(ctx, req.body as CreatePartnerInput);
    });

    app.get('/admin/v1/partners', async () => ({ partners: await listPartners(ctx.db) }));

    app.get<PartnerParams>('/admin/v1/partners/:partnerId', async (req) =>
      showPartner(ctx.db, req.params.partnerId),
    );

    app.patch<PartnerParams>('/admin/v1/partners/:partnerId', async (req) =>
      updatePartner(ctx, req.params.partnerId, req.body as UpdatePartnerInput),
    );

    app.post<PartnerParams>('/admin/v1/partners/:partnerId/revoke', async (req) =>
      revokePartner(ctx, req.params.partnerId),
    );

    app.post<PartnerParams>('/admin/v1/partners/:partnerId/certificates', async (req, reply) => {
      const created = await createCertificate(ctx, req.params.partnerId, req.body as CreateCertificateInput);
      reply.code(201);
      return created;
    });

    app.post<CertificateParams>(
      '/admin/v1/partners/:partnerId/certificates/:certificateId/revoke',
      async (req) => revokeCertificate(ctx, req.params.partnerId, req.params.certificateId),
    );

    app.post<PartnerParams>('/admin/v1/partners/:partnerId/outbound-certificate', async (req) =>
      registerOutboundCertificate(ctx, req.params.partnerId, req.body as RegisterOutboundCertificateInput),
    );

    app.post('/admin/v1/cards', async (req, reply) => {
      const card = await createCard(ctx, req.body as CreateCardInput);
      reply.code(201);
      return card;
    });

    app.get('/admin/v1/cards', async (req) => ({ cards: await listCards(ctx.db, listFilter(req.query)) }));

    app.get<{ Params: { cardId: string } }>('/admin/v1/cards/:cardId', async (req) => {
      const card = await findCard(ctx.db, req.params.cardId);
      if (!card) throw notFound(`card ${req.params.cardId}`);
      return card;
    });

    app.post('/admin/v1/services', async (req, reply) => {
      const service = await createService(ctx, req.body as CreateServiceInput);
      reply.code(201);
      return service;
    });

    app.get('/admin/v1/services', async (req) => ({
      services: await listServices(ctx.db, listFilter(req.query)),
    }));

    app.get<{ Params: { serviceId: string } }>('/admin/v1/services/:serviceId', async (req) => {
      const service = await findService(ctx.db, req.params.serviceId);
      if (!service) throw notFound(`service ${req.params.serviceId}`);
      return service;
    });
  };
}
