// Admin API of partner onboarding (main listener, admin token only), declared with its schemas
// (api-schemas.ts). Bodies and the list filter are documented here but checked by the services,
// which parse them with the shared schemas (schemas.ts) so that direct callers get the same
// field-named errors; errors use the platform envelope {error:{code,message,details}}.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/context.ts';
import { notFound } from '../core/errors.ts';
import { adminApi } from '../core/http.ts';
import { describeApi, documentedOnly, type ZodTypeProvider } from '../core/routes.ts';
import {
  cardParams,
  cardResponse,
  cardsResponse,
  certificateParams,
  createCardBody,
  createCertificateBody,
  createdCertificateResponse,
  createdPartnerResponse,
  createPartnerBody,
  createServiceBody,
  invalid,
  outboundRegisteredResponse,
  partnerDetailsResponse,
  partnerFilterQuery,
  partnerParams,
  partnersResponse,
  registerOutboundCertificateBody,
  revokedCertificateResponse,
  revokedPartnerResponse,
  serviceParams,
  serviceResponse,
  servicesResponse,
  unauthorized,
  unknownRecord,
  updatedPartnerResponse,
  updatePartnerBody,
} from './api-schemas.ts';
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

function listFilter(query: unknown): { partnerId?: string } {
  const { partnerId } = parseInput(listFilterSchema, query, 'query string');
  return partnerId ? { partnerId } : {};
}

const admin = { tags: ['admin'], security: [{ adminToken: [] }] };
const errors = { 400: invalid, 401: unauthorized, 404: unknownRecord };
const filter = documentedOnly(partnerFilterQuery);

/** Routes under /admin/v1 for partners, their certificates, cards and checkout services. */
export function partnerRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    describeApi(scope, adminApi);
    // The admin check runs before validation: a caller without the token learns nothing.
    scope.addHook('preValidation', ctx.requireAdmin);
    const app = scope.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/admin/v1/partners',
      {
        schema: {
          operationId: 'createPartner',
          summary: 'Register a partner from its CSR (see docs/pki.md)',
          ...admin,
          body: documentedOnly(createPartnerBody),
          response: { 201: createdPartnerResponse, ...errors },
        },
      },
      async (req, reply) => {
        reply.code(201);
        return createPartner(ctx, req.body as CreatePartnerInput);
      },
    );

    app.get(
      '/admin/v1/partners',
      {
        schema: {
          operationId: 'listPartners',
          summary: 'List partners',
          ...admin,
          response: { 200: partnersResponse, 401: unauthorized },
        },
      },
      async () => ({ partners: await listPartners(ctx.db) }),
    );

    app.get(
      '/admin/v1/partners/:partnerId',
      {
        schema: {
          operationId: 'showPartner',
          summary: 'A partner with its certificates, allow-list and outbound mTLS',
          ...admin,
          params: partnerParams,
          response: { 200: partnerDetailsResponse, 401: unauthorized, 404: unknownRecord },
        },
      },
      async (req) => showPartner(ctx.db, req.params.partnerId),
    );

    app.patch(
      '/admin/v1/partners/:partnerId',
      {
        schema: {
          operationId: 'updatePartner',
          summary: 'Change name, notify URL, allow-list, options or strict mode',
          ...admin,
          params: partnerParams,
          body: documentedOnly(updatePartnerBody),
          response: { 200: updatedPartnerResponse, ...errors },
        },
      },
      async (req) => updatePartner(ctx, req.params.partnerId, req.body as UpdatePartnerInput),
    );

    app.post(
      '/admin/v1/partners/:partnerId/revoke',
      {
        schema: {
          operationId: 'revokePartner',
          summary: 'Revoke a partner: its mTLS requests are refused',
          ...admin,
          params: partnerParams,
          response: { 200: revokedPartnerResponse, 401: unauthorized, 404: unknownRecord },
        },
      },
      async (req) => revokePartner(ctx, req.params.partnerId),
    );

    app.post(
      '/admin/v1/partners/:partnerId/certificates',
      {
        schema: {
          operationId: 'createCertificate',
          summary: 'Sign another CSR for the partner (rotation): a new certificateId',
          ...admin,
          params: partnerParams,
          body: documentedOnly(createCertificateBody),
          response: { 201: createdCertificateResponse, ...errors },
        },
      },
      async (req, reply) => {
        const created = await createCertificate(
          ctx,
          req.params.partnerId,
          req.body as CreateCertificateInput,
        );
        reply.code(201);
        return created;
      },
    );

    app.post(
      '/admin/v1/partners/:partnerId/certificates/:certificateId/revoke',
      {
        schema: {
          operationId: 'revokeCertificate',
          summary: 'Revoke one certificate',
          ...admin,
          params: certificateParams,
          response: { 200: revokedCertificateResponse, 401: unauthorized, 404: unknownRecord },
        },
      },
      async (req) => revokeCertificate(ctx, req.params.partnerId, req.params.certificateId),
    );

    app.post(
      '/admin/v1/partners/:partnerId/outbound-certificate',
      {
        schema: {
          operationId: 'registerOutboundCertificate',
          summary: "Register the platform's outbound client certificate signed by the partner's CA",
          ...admin,
          params: partnerParams,
          body: documentedOnly(registerOutboundCertificateBody),
          response: { 200: outboundRegisteredResponse, ...errors },
        },
      },
      async (req) =>
        registerOutboundCertificate(ctx, req.params.partnerId, req.body as RegisterOutboundCertificateInput),
    );

    app.post(
      '/admin/v1/cards',
      {
        schema: {
          operationId: 'createCard',
          summary: 'Register an Add to Wallet card (its type and subType)',
          ...admin,
          body: documentedOnly(createCardBody),
          response: { 201: cardResponse('The card registration'), ...errors },
        },
      },
      async (req, reply) => {
        const card = await createCard(ctx, req.body as CreateCardInput);
        reply.code(201);
        return card;
      },
    );

    app.get(
      '/admin/v1/cards',
      {
        schema: {
          operationId: 'listCards',
          summary: 'List Add to Wallet cards (?partnerId=)',
          ...admin,
          querystring: filter,
          response: { 200: cardsResponse, 400: invalid, 401: unauthorized },
        },
      },
      async (req) => ({ cards: await listCards(ctx.db, listFilter(req.query)) }),
    );

    app.get(
      '/admin/v1/cards/:cardId',
      {
        schema: {
          operationId: 'getCard',
          summary: 'One Add to Wallet card registration',
          ...admin,
          params: cardParams,
          response: { 200: cardResponse('The card registration'), 401: unauthorized, 404: unknownRecord },
        },
      },
      async (req) => {
        const card = await findCard(ctx.db, req.params.cardId);
        if (!card) throw notFound(`card ${req.params.cardId}`);
        return card;
      },
    );

    app.post(
      '/admin/v1/services',
      {
        schema: {
          operationId: 'createService',
          summary: 'Register a Web Checkout service with its merchant CSR and domains',
          ...admin,
          body: documentedOnly(createServiceBody),
          response: { 201: serviceResponse('The service'), ...errors },
        },
      },
      async (req, reply) => {
        const service = await createService(ctx, req.body as CreateServiceInput);
        reply.code(201);
        return service;
      },
    );

    app.get(
      '/admin/v1/services',
      {
        schema: {
          operationId: 'listServices',
          summary: 'List Web Checkout services (?partnerId=)',
          ...admin,
          querystring: filter,
          response: { 200: servicesResponse, 400: invalid, 401: unauthorized },
        },
      },
      async (req) => ({ services: await listServices(ctx.db, listFilter(req.query)) }),
    );

    app.get(
      '/admin/v1/services/:serviceId',
      {
        schema: {
          operationId: 'getService',
          summary: 'One Web Checkout service',
          ...admin,
          params: serviceParams,
          response: { 200: serviceResponse('The service'), 401: unauthorized, 404: unknownRecord },
        },
      },
      async (req) => {
        const service = await findService(ctx.db, req.params.serviceId);
        if (!service) throw notFound(`service ${req.params.serviceId}`);
        return service;
      },
    );
  };
}
